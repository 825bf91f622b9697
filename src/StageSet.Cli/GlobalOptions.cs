using System.CommandLine;

namespace StageSet.Cli;

/// <summary>kubectl's connection flags (genericclioptions.ConfigFlags), accepted on every command.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Kubeconfig { get; } = Flag("--kubeconfig", "Path to the kubeconfig file to use for CLI requests.");

    public Option<string?> Context { get; } = Flag("--context", "The name of the kubeconfig context to use.");

    public Option<string?> Cluster { get; } = Flag("--cluster", "The name of the kubeconfig cluster to use.");

    public Option<string?> User { get; } = Flag("--user", "The name of the kubeconfig user to use.");

    public Option<string?> Namespace { get; } = Flag("--namespace", "If present, the namespace scope for this CLI request.", "-n");

    public Option<string?> Server { get; } = Flag("--server", "The address and port of the Kubernetes API server.", "-s");

    public Option<string?> Token { get; } = Flag("--token", "Bearer token for authentication to the API server.");

    public Option<string?> As { get; } = Flag("--as", "Username to impersonate for the operation.");

    public Option<string[]> AsGroup { get; } = new("--as-group")
    {
        Recursive = true,
        Description = "Group to impersonate for the operation (repeatable).",
    };

    public Option<string?> AsUid { get; } = Flag("--as-uid", "UID to impersonate for the operation.");

    public Option<string?> CertificateAuthority { get; } = Flag("--certificate-authority", "Path to a cert file for the certificate authority.");

    public Option<string?> ClientCertificate { get; } = Flag("--client-certificate", "Path to a client certificate file for TLS.");

    public Option<string?> ClientKey { get; } = Flag("--client-key", "Path to a client key file for TLS.");

    public Option<string?> TlsServerName { get; } = Flag("--tls-server-name", "Server name to use for server certificate validation.");

    public Option<bool> InsecureSkipTlsVerify { get; } = new("--insecure-skip-tls-verify")
    {
        Recursive = true,
        Description = "If true, the server's certificate will not be checked for validity.",
    };

    public Option<string?> RequestTimeout { get; } = Flag("--request-timeout",
        "The length of time to wait before giving up on a single server request (e.g. 1s, 2m, 3h; 0 = no timeout).");

    // Accepted for kubectl compatibility; this client keeps no discovery cache on disk and does not ask for compression.
    public Option<string?> CacheDir { get; } = Flag("--cache-dir", "Default cache directory (accepted, unused).");

    public Option<bool> DisableCompression { get; } = new("--disable-compression")
    {
        Recursive = true,
        Description = "If true, opt-out of response compression (accepted; responses are not compressed).",
    };

    public IEnumerable<Option> All() =>
    [
        Kubeconfig, Context, Cluster, User, Namespace, Server, Token, As, AsGroup, AsUid, CertificateAuthority,
        ClientCertificate, ClientKey, TlsServerName, InsecureSkipTlsVerify, RequestTimeout, CacheDir, DisableCompression,
    ];

    private static Option<string?> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Recursive = true, Description = description };
}
