using System.Diagnostics;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>
/// Standalone mode as a real child process: the built server assembly (what <c>dotnet run</c> executes), its one
/// ready line, the kubeconfig it writes, <c>--crd</c> preloading, and a clean exit on SIGTERM.
/// </summary>
public sealed class StandaloneProcessTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("standalone-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "StageSet.LocalApiServer.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("/bin/kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Prints_one_ready_line_serves_kubectl_with_preloaded_crds_and_exits_cleanly_on_a_signal(string signal)
    {
        var crds = _dir.CreateSubdirectory("crds");
        await File.WriteAllTextAsync(Path.Combine(crds.FullName, "gadgets.yaml"),
            Manifests.KubeYaml.Serialize(CustomResourceTests.WidgetCrd("gadgets", "Gadget")));
        var kubeconfig = Path.Combine(_dir.FullName, "out", "admin.kubeconfig");

        using var server = Start("--port", "0", "--kubeconfig-out", kubeconfig, "--crd", crds.FullName);
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            var line = await server.StandardOutput.ReadLineAsync(cts.Token);
            Assert.Matches(@"^listening on https://127\.0\.0\.1:\d+$", line);
            Assert.True(File.Exists(kubeconfig));

            using var k = new Kubectl(kubeconfig);
            var crd = await k.RunAsync("get", "crd", "gadgets.example.com", "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}");
            Assert.Equal(0, crd.ExitCode);
            Assert.Equal("True", crd.Stdout);
            var none = await k.RunAsync("get", "gadgets", "-A");
            Assert.Equal(0, none.ExitCode);
            Assert.Equal("No resources found\n", none.Stderr);

            await SignalAsync(server, signal);
            await server.WaitForExitAsync(cts.Token);
            Assert.Equal(0, server.ExitCode);
            Assert.Equal("", await server.StandardOutput.ReadToEndAsync(cts.Token));
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    [Fact]
    public async Task Bad_flags_and_missing_crd_paths_exit_2_with_a_clear_error()
    {
        using var cts = new CancellationTokenSource(Deadline);
        using var unknown = Start("--prot", "0");
        await unknown.WaitForExitAsync(cts.Token);
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("Error: unknown flag --prot\n", await unknown.StandardError.ReadToEndAsync(cts.Token));

        var missing = Path.Combine(_dir.FullName, "nope");
        using var noCrd = Start("--port", "0", "--crd", missing);
        await noCrd.WaitForExitAsync(cts.Token);
        Assert.Equal(2, noCrd.ExitCode);
        Assert.Equal($"Error: --crd {missing}: no such file or directory\n", await noCrd.StandardError.ReadToEndAsync(cts.Token));
    }
}
