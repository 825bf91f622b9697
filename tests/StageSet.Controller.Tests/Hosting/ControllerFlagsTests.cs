using StageSet.Controller.Hosting;
using StageSet.Engine.Inventory;

namespace StageSet.Controller.Tests.Hosting;

public sealed class ControllerFlagsTests
{
    private static FlagParseResult Parse(params string[] args) => ControllerFlags.Parse(args, _ => null);

    [Fact]
    public void Defaults_match_the_spec()
    {
        var o = Parse().Options!;

        Assert.Equal(":8081", o.HealthProbeBindAddress);
        Assert.Equal(":8080", o.MetricsBindAddress);
        Assert.Equal(":8082", o.GateBindAddress);
        Assert.False(o.LeaderElect);
        Assert.Empty(o.WatchNamespaces);
        Assert.Equal(TimeSpan.FromMinutes(10), o.DefaultInterval);
        Assert.Equal(InventoryMode.Hybrid, o.InventoryMode);
        Assert.Equal(5000, o.InventoryShardCap);
        Assert.Equal("", o.RunbookBaseUrl);
        Assert.Equal(4, o.Concurrency);
    }

    [Fact]
    public void Go_style_single_and_double_dash_forms_with_separate_or_inline_values_are_read()
    {
        var o = Parse("-leader-elect", "--default-interval", "1h30m", "--inventory-shard-cap=7", "-metrics-bind-address=0",
            "--no-cross-namespace-refs=false", "--watch-namespaces", " a, ,b ,a").Options!;

        Assert.True(o.LeaderElect);
        Assert.Equal(TimeSpan.FromMinutes(90), o.DefaultInterval);
        Assert.Equal(7, o.InventoryShardCap);
        Assert.Equal("0", o.MetricsBindAddress);
        Assert.False(o.NoCrossNamespaceRefs);
        Assert.Equal(["a", "b"], o.WatchNamespaces);
    }

    [Fact]
    public void The_watch_namespaces_environment_variable_applies_only_when_the_flag_is_empty()
    {
        var env = (string name) => name == "STAGESET_WATCH_NAMESPACES" ? "x,y" : null;

        Assert.Equal(["x", "y"], ControllerFlags.Parse([], env).Options!.WatchNamespaces);
        Assert.Equal(["z"], ControllerFlags.Parse(["--watch-namespaces=z"], env).Options!.WatchNamespaces);
    }

    [Theory]
    [InlineData("--bogus", "flag provided but not defined: -bogus")]
    [InlineData("--default-interval=0s", "--default-interval must be > 0")]
    [InlineData("--default-interval=10d", "invalid value \"10d\" for flag -default-interval: parse error")]
    [InlineData("--inventory-shard-cap=0", "--inventory-shard-cap must be >= 1")]
    [InlineData("--inventory-mode=all", "invalid value \"all\" for --inventory-mode: must be entries, hybrid or applyset")]
    [InlineData("--gate-bind-address=:70000", "invalid value \":70000\" for --gate-bind-address: must be host:port with a port in 1..65535")]
    [InlineData("--metrics-bind-address=localhost", "invalid value \"localhost\" for --metrics-bind-address: must be host:port with a port in 1..65535")]
    [InlineData("--log-level=trace", "invalid value \"trace\" for --log-level: debug, info, warn or error")]
    [InlineData("--leader-elect=maybe", "invalid boolean value \"maybe\" for -leader-elect: parse error")]
    [InlineData("--default-interval", "flag needs an argument: -default-interval")]
    public void Invalid_flags_exit_2_with_a_message(string arg, string message)
    {
        var result = Parse(arg);

        Assert.False(result.ShouldRun);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Message);
    }

    [Theory]
    [InlineData("--rollback-store-path=/tmp/x")]
    [InlineData("--allowed-action-hosts=*.internal")]
    [InlineData("--webhook-port=9443")]
    [InlineData("--enable-webhook")]
    public void Flags_of_features_not_built_yet_are_refused_not_ignored(string arg)
    {
        var result = Parse(arg);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not supported yet", result.Message);
    }

    [Fact]
    public void Help_exits_0_with_usage()
    {
        var result = Parse("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.False(result.ShouldRun);
        Assert.Contains("--inventory-shard-cap", result.Message);
    }

    [Fact]
    public void Gate_bind_address_may_be_empty_to_disable_it()
    {
        Assert.Equal("", Parse("--gate-bind-address=").Options!.GateBindAddress);
    }
}
