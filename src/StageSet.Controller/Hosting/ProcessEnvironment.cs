using k8s;
using Microsoft.Extensions.Logging;

namespace StageSet.Controller.Hosting;

/// <summary>What the controller binary reads from its surroundings: kubeconfig, pod namespace, log settings.</summary>
public static class ProcessEnvironment
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary><c>--kubeconfig</c>, else <c>$KUBECONFIG</c>, else in-cluster, else <c>~/.kube/config</c>.</summary>
    public static KubernetesClientConfiguration LoadClusterConfig(string? kubeconfigPath)
    {
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env)
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(env.Split(Path.PathSeparator)[0]);
        }

        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
    }

    /// <summary>Where the leader-election Lease lives: <c>$POD_NAMESPACE</c>, the mounted SA namespace, or default.</summary>
    public static string PodNamespace()
    {
        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns)
        {
            return ns;
        }

        try
        {
            return File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";
        }
        catch (IOException)
        {
            return "default";
        }
    }

    public static ILoggerFactory CreateLoggerFactory(ControllerOptions options) =>
        LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(options.LogLevel switch
            {
                "debug" => LogLevel.Debug,
                "warn" => LogLevel.Warning,
                "error" => LogLevel.Error,
                _ => LogLevel.Information,
            });
            if (options.LogFormat == "text")
            {
                b.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffZ ";
                    o.UseUtcTimestamp = true;
                });
            }
            else
            {
                b.AddJsonConsole(o =>
                {
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffZ";
                    o.UseUtcTimestamp = true;
                });
            }
        });
}
