using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using StageSet.Kube;

namespace StageSet.Cli;

/// <summary>
/// How to reach the cluster, resolved from kubectl's connection flags the way kubectl does: <c>--kubeconfig</c>,
/// else <c>KUBECONFIG</c> (merged), else <c>~/.kube/config</c>, else in-cluster; flags override the context's
/// cluster, user and credentials; the namespace is <c>-n</c>, else the context's, else <c>default</c>.
/// </summary>
internal sealed record ClusterConnection(KubernetesClientConfiguration Config, KubeTransportOptions Transport, string Namespace)
{
    public const string UserAgent = "stagesetctl";

    public KubeCluster Connect() => KubeCluster.Connect(Config, Transport);

    public static ClusterConnection Resolve(ParseResult parse, GlobalOptions flags)
    {
        var transport = new KubeTransportOptions
        {
            UserAgent = UserAgent,
            RequestTimeout = ParseRequestTimeout(parse.GetValue(flags.RequestTimeout)),
            Impersonate = ParseImpersonation(parse, flags),
        };
        var config = Load(parse, flags);
        ApplyOverrides(config, parse, flags);
        var ns = parse.GetValue(flags.Namespace) is { Length: > 0 } n ? n
            : config.Namespace is { Length: > 0 } fromContext ? fromContext : "default";
        return new ClusterConnection(config, transport, ns);
    }

    private static KubernetesClientConfiguration Load(ParseResult parse, GlobalOptions flags)
    {
        var server = parse.GetValue(flags.Server) is { Length: > 0 } s ? s : null;
        var files = KubeconfigFiles(parse.GetValue(flags.Kubeconfig));
        if (files.Count == 0)
        {
            if (server is not null)
            {
                return new KubernetesClientConfiguration { Host = server };
            }

            if (KubernetesClientConfiguration.IsInCluster())
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }

            throw new CliException("no configuration has been provided: set --kubeconfig, KUBECONFIG or --server");
        }

        try
        {
            var kubeconfig = Merge(files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f))));
            var contextName = parse.GetValue(flags.Context) is { Length: > 0 } c ? c : kubeconfig.CurrentContext;
            var cluster = parse.GetValue(flags.Cluster);
            var user = parse.GetValue(flags.User);
            if (!string.IsNullOrEmpty(cluster) || !string.IsNullOrEmpty(user))
            {
                var context = kubeconfig.Contexts?.FirstOrDefault(x => x.Name == contextName)?.ContextDetails
                              ?? throw new CliException($"context \"{contextName}\" does not exist");
                context.Cluster = string.IsNullOrEmpty(cluster) ? context.Cluster : cluster;
                context.User = string.IsNullOrEmpty(user) ? context.User : user;
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, contextName, server);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliException($"invalid kubeconfig ({string.Join(Path.PathSeparator, files)}): {e.Message}");
        }
    }

    /// <summary>KUBECONFIG merge rule: the first file to set a value (current context, a named entry) wins.</summary>
    private static K8SConfiguration Merge(IEnumerable<K8SConfiguration> configs)
    {
        K8SConfiguration? merged = null;
        foreach (var config in configs)
        {
            if (merged is null)
            {
                merged = config;
                continue;
            }

            merged.CurrentContext = string.IsNullOrEmpty(merged.CurrentContext) ? config.CurrentContext : merged.CurrentContext;
            merged.Contexts = [.. merged.Contexts ?? [], .. (config.Contexts ?? []).Where(c => merged.Contexts?.All(m => m.Name != c.Name) != false)];
            merged.Clusters = [.. merged.Clusters ?? [], .. (config.Clusters ?? []).Where(c => merged.Clusters?.All(m => m.Name != c.Name) != false)];
            merged.Users = [.. merged.Users ?? [], .. (config.Users ?? []).Where(c => merged.Users?.All(m => m.Name != c.Name) != false)];
        }

        return merged ?? new K8SConfiguration();
    }

    private static List<string> KubeconfigFiles(string? flag)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return File.Exists(flag) ? [flag] : throw new CliException($"stat {flag}: no such file or directory");
        }

        var fromEnv = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return [.. fromEnv.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists)];
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home) ? [home] : [];
    }

    private static void ApplyOverrides(KubernetesClientConfiguration config, ParseResult parse, GlobalOptions flags)
    {
        if (parse.GetValue(flags.Token) is { Length: > 0 } token)
        {
            config.AccessToken = token;
            config.TokenProvider = null;
            config.Username = null;
            config.Password = null;
        }

        if (parse.GetValue(flags.CertificateAuthority) is { Length: > 0 } ca)
        {
            try
            {
                var certs = new X509Certificate2Collection();
                certs.ImportFromPemFile(ca);
                config.SslCaCerts = certs;
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                throw new CliException($"--certificate-authority {ca}: {e.Message}");
            }
        }

        if (parse.GetValue(flags.ClientCertificate) is { Length: > 0 } cert)
        {
            config.ClientCertificateFilePath = cert;
            config.ClientCertificateData = null;
        }

        if (parse.GetValue(flags.ClientKey) is { Length: > 0 } key)
        {
            config.ClientKeyFilePath = key;
            config.ClientCertificateKeyData = null;
        }

        if (parse.GetValue(flags.InsecureSkipTlsVerify))
        {
            config.SkipTlsVerify = true;
        }

        if (parse.GetValue(flags.TlsServerName) is { Length: > 0 } tlsName)
        {
            config.TlsServerName = tlsName;
        }
    }

    private static Impersonation? ParseImpersonation(ParseResult parse, GlobalOptions flags)
    {
        var user = parse.GetValue(flags.As);
        var groups = parse.GetValue(flags.AsGroup) ?? [];
        var uid = parse.GetValue(flags.AsUid);
        if (string.IsNullOrEmpty(user))
        {
            return groups.Length > 0 || !string.IsNullOrEmpty(uid)
                ? throw new CliException("requesting uid or groups without impersonating a user (set --as)", ExitCodes.Usage)
                : null;
        }

        return new Impersonation(user) { Groups = groups, Uid = string.IsNullOrEmpty(uid) ? null : uid };
    }

    /// <summary>kubectl's format: a Go duration, or a bare integer of seconds; 0 means no timeout.</summary>
    internal static TimeSpan ParseRequestTimeout(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Timeout.InfiniteTimeSpan;
        }

        TimeSpan span;
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            span = TimeSpan.FromSeconds(seconds);
        }
        else if (Api.Duration.TryParse(value, out var duration) && duration.Nanoseconds >= 0)
        {
            span = duration.ToTimeSpan();
        }
        else
        {
            throw new CliException(
                $"invalid argument \"{value}\" for \"--request-timeout\": must be an integer number of seconds or a duration such as 1s, 2m or 3h",
                ExitCodes.Usage);
        }

        return span == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : span;
    }
}
