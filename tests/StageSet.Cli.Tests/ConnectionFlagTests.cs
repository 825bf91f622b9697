using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Cli.Tests;

/// <summary>kubectl's connection flags reach the API server (real HTTP) and bad ones fail with the right exit code.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ConnectionFlagTests(TestCluster cluster) : IDisposable
{
    private readonly ClusterCli _cli = new(cluster);
    private readonly string _dir = Directory.CreateTempSubdirectory("stagesetctl-conn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_namespace_comes_from_the_flag_then_the_context_then_default()
    {
        var ns = await cluster.CreateNamespaceAsync("ctx");
        await _cli.CreateStageSetAsync(ns, "from-context", ["one"]);
        var kubeconfig = KubeYaml.Parse(await File.ReadAllTextAsync(_cli.Kubeconfig))!.AsObject();
        var current = (string)kubeconfig["current-context"]!;
        var context = kubeconfig["contexts"]!.AsArray().Single(c => (string)c!["name"]! == current)!["context"]!.AsObject();
        context["namespace"] = ns;
        var withNamespace = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(withNamespace, KubeYaml.Serialize(kubeconfig));

        var (code, stdout, stderr) = await Cli.RunAsync("get", "--kubeconfig", withNamespace);
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Contains("from-context", stdout, StringComparison.Ordinal);

        var other = await cluster.CreateNamespaceAsync("flag");
        (code, stdout, _) = await Cli.RunAsync("get", "--kubeconfig", withNamespace, "-n", other);
        Assert.Equal((0, "No StageSets found.\n"), (code, stdout));
    }

    [Fact]
    public async Task Server_and_token_flags_override_the_kubeconfig()
    {
        var (code, _, stderr) = await _cli.RunAsync("get", "-n", "default", "--server", "https://127.0.0.1:1");
        Assert.Equal(3, code);
        Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await _cli.RunAsync("get", "-n", "default", "--token", "not-a-valid-token");
        Assert.Equal(3, code);
        Assert.Contains("Unauthorized", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Impersonation_flags_are_sent_as_headers()
    {
        var ns = await cluster.CreateNamespaceAsync("as");
        var (code, _, stderr) = await _cli.RunAsync("get", "-n", ns, "--as", "jane");
        Assert.Equal(3, code);
        Assert.Contains("\"jane\"", stderr, StringComparison.Ordinal);
        Assert.Contains("forbidden", stderr, StringComparison.OrdinalIgnoreCase);

        (code, var stdout, stderr) = await _cli.RunAsync("get", "-n", ns, "--as", "jane", "--as-group", "system:masters");
        Assert.Equal("", stderr);
        Assert.Equal((0, "No StageSets found.\n"), (code, stdout));
    }

    [Theory]
    [InlineData("--as-group", "devs")]
    [InlineData("--request-timeout", "soon")]
    public async Task Invalid_flag_values_are_usage_errors(string flag, string value)
    {
        var (code, _, stderr) = await _cli.RunAsync("get", flag, value);
        Assert.Equal(2, code);
        Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_timeout_and_the_remaining_kubectl_flags_are_accepted()
    {
        var ns = await cluster.CreateNamespaceAsync("flags");
        var (code, stdout, stderr) = await _cli.RunAsync("get", "-n", ns, "--request-timeout", "30s", "--cache-dir", _dir,
            "--disable-compression");
        Assert.Equal("", stderr);
        Assert.Equal((0, "No StageSets found.\n"), (code, stdout));
    }

    [Fact]
    public async Task Missing_kubeconfig_and_unknown_context_are_runtime_errors()
    {
        var missing = Path.Combine(_dir, "absent");
        var (code, _, stderr) = await Cli.RunAsync("get", "--kubeconfig", missing);
        Assert.Equal((3, $"Error: stat {missing}: no such file or directory\n"), (code, stderr));

        (code, _, stderr) = await _cli.RunAsync("get", "--context", "nowhere");
        Assert.Equal(3, code);
        Assert.Contains("nowhere", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_timeouts_parse_like_kubectl()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), ClusterConnection.ParseRequestTimeout("7"));
        Assert.Equal(TimeSpan.FromMinutes(2), ClusterConnection.ParseRequestTimeout("2m"));
        Assert.Equal(Timeout.InfiniteTimeSpan, ClusterConnection.ParseRequestTimeout("0"));
        Assert.Equal(Timeout.InfiniteTimeSpan, ClusterConnection.ParseRequestTimeout(null));
        Assert.Equal(2, Assert.Throws<CliException>(() => ClusterConnection.ParseRequestTimeout("-1s")).ExitCode);
    }
}
