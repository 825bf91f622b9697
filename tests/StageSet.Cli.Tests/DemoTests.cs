using StageSet.Testing;

namespace StageSet.Cli.Tests;

/// <summary>The README's first command: the whole quickstart in one process, to Ready.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_quickstart_rolls_out_stage_by_stage_to_Ready_and_prints_get()
    {
        var (code, stdout, stderr) = await Cli.RunAsync("demo", "--repo-root", TestPaths.RepoRoot);
        Assert.True(code == 0, $"exit {code}\n{stderr}\n{stdout}");
        Assert.Equal("", stderr);
        Assert.Contains("No kubelet runs here", stdout, StringComparison.Ordinal);
        // Stages become Ready strictly in spec order.
        var crds = stdout.IndexOf("stage crds       Ready", StringComparison.Ordinal);
        var op = stdout.IndexOf("stage operator   Ready", StringComparison.Ordinal);
        var workloads = stdout.IndexOf("stage workloads  Ready", StringComparison.Ordinal);
        Assert.True(crds >= 0 && crds < op && op < workloads, stdout);
        Assert.Contains("cache operator (stand-in): Cache quickstart/sessions is Ready", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n\$ stagesetctl get -n quickstart\nNAME +READY +REASON +STAGES +VERSION +PENDING\ncache-platform +True +\S+ +3/3 +- +-\n", stdout);
        Assert.Matches(@"\n  workloads +Ready +latest@sha256:[0-9a-f]{64} +3\n", stdout);
    }

    [Fact]
    public async Task A_rollout_that_misses_the_deadline_fails_with_the_last_state()
    {
        var (code, _, stderr) = await Cli.RunAsync("demo", "--repo-root", TestPaths.RepoRoot, "--timeout", "1ms");
        Assert.Equal(3, code);
        Assert.StartsWith("Error: StageSet quickstart/cache-platform did not become Ready within", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_without_the_example_is_refused_clearly()
    {
        var empty = Directory.CreateTempSubdirectory("stagesetctl-demo-");
        try
        {
            var (code, _, stderr) = await Cli.RunAsync("demo", "--repo-root", empty.FullName);
            Assert.Equal(3, code);
            Assert.Contains("expected config/crd, config/testing/flux-crds and examples/quickstart", stderr, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete();
        }
    }
}
