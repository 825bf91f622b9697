using System.Globalization;
using System.Runtime.InteropServices;

namespace StageSet.LocalApiServer;

/// <summary>
/// <c>--port N --kubeconfig-out FILE [--crd PATH]… [--plain-http] [--emulate NAME,…]</c>: starts the server, writes
/// the admin kubeconfig, prints <c>listening on URL</c> and serves until SIGTERM/SIGINT.
/// </summary>
internal static class StandaloneCommand
{
    private const string Usage =
        "usage: StageSet.LocalApiServer [--port N] [--kubeconfig-out FILE] [--crd PATH]... [--plain-http]\n" +
        "                               [--emulate workload-status,namespace-controller,garbage-collector,default-service-accounts]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = new LocalApiServerOptions();
        string? kubeconfigOut = null;
        var crds = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"flag {args[i]} needs a value");
                }

                return args[++i];
            }

            try
            {
                switch (args[i])
                {
                    case "--port":
                        var port = Next();
                        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
                        {
                            throw new ArgumentException($"invalid --port {port}: must be 0-65535");
                        }

                        options = options with { Port = p };
                        break;
                    case "--kubeconfig-out":
                        kubeconfigOut = Next();
                        break;
                    case "--crd":
                        crds.Add(Next());
                        break;
                    case "--plain-http":
                        options = options with { UseTls = false };
                        break;
                    case "--emulate":
                        options = Emulate(options, Next());
                        break;
                    case "-h" or "--help":
                        await stdout.WriteLineAsync(Usage);
                        return 0;
                    default:
                        throw new ArgumentException($"unknown flag {args[i]}");
                }
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync("Error: " + e.Message);
                await stderr.WriteLineAsync(Usage);
                return 2;
            }
        }

        foreach (var crd in crds)
        {
            if (!File.Exists(crd) && !Directory.Exists(crd))
            {
                await stderr.WriteLineAsync($"Error: --crd {crd}: no such file or directory");
                return 2;
            }
        }

        options = options with { CrdPaths = crds };
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        LocalApiServer server;
        try
        {
            server = await LocalApiServer.StartAsync(options, stop.Token);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
        {
            await stderr.WriteLineAsync("Error: " + e.Message);
            return 1;
        }

        await using (server)
        {
            if (kubeconfigOut is not null)
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(kubeconfigOut));
                if (dir is not null)
                {
                    Directory.CreateDirectory(dir);
                }

                File.Copy(server.AdminKubeconfigPath, kubeconfigOut, overwrite: true);
            }

            await stdout.WriteLineAsync("listening on " + server.Url.ToString().TrimEnd('/'));
            await stdout.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }

    private static LocalApiServerOptions Emulate(LocalApiServerOptions options, string names)
    {
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options = name switch
            {
                "workload-status" => options with { WorkloadStatus = true },
                "namespace-controller" => options with { NamespaceController = true },
                "garbage-collector" => options with { GarbageCollector = true },
                "default-service-accounts" => options with { DefaultServiceAccounts = true },
                _ => throw new ArgumentException(
                    $"unknown emulation {name}: supported workload-status, namespace-controller, garbage-collector, default-service-accounts"),
            };
        }

        return options;
    }
}
