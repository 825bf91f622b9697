using k8s;
using Microsoft.Extensions.Logging;
using StageSet.Controller.Hosting;

// stageset-controller: exit 0 on success or --help, 2 on flag errors, 1 on any startup or runtime failure.
var parsed = ControllerFlags.Parse(args);
if (!parsed.ShouldRun)
{
    (parsed.ExitCode == 0 ? Console.Out : Console.Error).WriteLine(parsed.Message);
    return parsed.ExitCode;
}

var options = parsed.Options! with { LeaderElectionNamespace = ProcessEnvironment.PodNamespace() };
using var loggerFactory = ProcessEnvironment.CreateLoggerFactory(options);
var log = loggerFactory.CreateLogger("setup");

KubernetesClientConfiguration config;
try
{
    config = ProcessEnvironment.LoadClusterConfig(parsed.KubeconfigPath);
}
#pragma warning disable CA1031 // Any kubeconfig problem is a startup failure with exit code 1.
catch (Exception ex)
#pragma warning restore CA1031
{
    log.LogError("unable to load cluster configuration: {Error}", ex.Message);
    return 1;
}

using var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => shutdown.Cancel();

ControllerHost host;
try
{
    host = await ControllerHost.StartAsync(options, config, loggerFactory, shutdown.Token);
}
#pragma warning disable CA1031 // Startup failures exit 1 with the reason logged.
catch (Exception ex)
#pragma warning restore CA1031
{
    log.LogError(ex, "unable to start the manager");
    return 1;
}

await using (host)
{
    log.LogInformation("manager started");
    try
    {
        await Task.WhenAny(host.Completion, Task.Delay(Timeout.Infinite, shutdown.Token));
    }
    catch (OperationCanceledException)
    {
        // Shutdown requested.
    }

    var lostLeadership = host.Completion.IsCompleted && !shutdown.IsCancellationRequested;
    await host.StopAsync();
    if (lostLeadership)
    {
        log.LogError("manager stopped: leader election lost");
        return 1;
    }
}

return 0;
