using System.Text.Json.Nodes;
using k8s;
using StageSet.Kube;
using StageSet.LocalApiServer;
using StageSet.LocalApiServer.ArtifactStorage;
using StageSet.Manifests;

namespace StageSet.Testing;

/// <summary>
/// The one cluster integration tests run against: the in-memory local API server, or a real cluster when
/// <c>STAGESET_TEST_KUBECONFIG</c> names a kubeconfig (then tests work in unique namespaces that are deleted
/// afterwards). Installs our CRDs and minimal Flux source CRDs, and runs a loopback artifact server.
/// Use as an xunit class or collection fixture.
/// </summary>
public sealed class TestCluster : IAsyncLifetime
{
    public const string KubeconfigVariable = "STAGESET_TEST_KUBECONFIG";
    private static readonly GroupVersionKind NamespaceKind = new("", "v1", "Namespace");
    private static readonly GroupVersionKind CrdKind = new("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
    private readonly List<string> _namespaces = [];
    private readonly Lock _lock = new();
    private KubeCluster? _kube;
    private KubernetesClientConfiguration? _config;
    private ArtifactServer? _artifacts;

    /// <summary>The local server, or null when running against a real cluster.</summary>
    public LocalApiServer.LocalApiServer? Server { get; private set; }

    public bool IsLocal => Server is not null;

    /// <summary>Connection for the admin identity (a fresh copy per call; configurations are mutable).</summary>
    public KubernetesClientConfiguration Config => Copy(_config ?? throw NotStarted());

    public KubeCluster Kube => _kube ?? throw NotStarted();

    public DynamicClient Client => Kube.Client;

    public ArtifactServer Artifacts => _artifacts ?? throw NotStarted();

    public FluxSources Flux => new(this);

    public async Task InitializeAsync()
    {
        var kubeconfig = Environment.GetEnvironmentVariable(KubeconfigVariable);
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            _config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }
        else
        {
            Server = await LocalApiServer.LocalApiServer.StartAsync(new LocalApiServerOptions
            {
                GarbageCollector = true,
                NamespaceController = true,
            }).ConfigureAwait(false);
            _config = Server.ClientConfiguration;
        }

        _kube = KubeCluster.Connect(Config, new KubeTransportOptions { UserAgent = "stageset-tests" });
        _artifacts = await ArtifactServer.StartAsync().ConfigureAwait(false);
        await InstallCrdsAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Creates a namespace with a unique name starting with <paramref name="prefix"/>.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix)
    {
        var name = (prefix.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..8]).TrimStart('-');
        await Client.CreateAsync(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        }, CancellationToken.None).ConfigureAwait(false);
        lock (_lock)
        {
            _namespaces.Add(name);
        }

        return name;
    }

    /// <summary>Applies a YAML/JSON object as the admin (server-side apply, field manager <c>stageset-tests</c>).</summary>
    public Task<JsonObject> ApplyAsync(JsonObject obj, CancellationToken ct = default) =>
        Client.ApplyAsync(obj, new ApplyOptions("stageset-tests") { Force = true }, ct);

    /// <summary>
    /// A Role allowing every verb on <paramref name="resources"/> (core group) bound to the service account
    /// <paramref name="serviceAccount"/> in <paramref name="ns"/>: a tenant with exactly those rights.
    /// </summary>
    public async Task GrantAsync(string ns, string serviceAccount, params string[] resources)
    {
        var role = "grant-" + serviceAccount;
        await ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = new JsonObject { ["name"] = role, ["namespace"] = ns },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)JsonValue.Create(r))]),
                ["verbs"] = new JsonArray("*"),
            }),
        }).ConfigureAwait(false);
        await ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = role, ["namespace"] = ns },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = role },
            ["subjects"] = new JsonArray(new JsonObject
            {
                ["kind"] = "ServiceAccount",
                ["name"] = serviceAccount,
                ["namespace"] = ns,
            }),
        }).ConfigureAwait(false);
    }

    /// <summary>Merges <paramref name="status"/> into the object's status subresource.</summary>
    public Task<JsonObject> PatchStatusAsync(GroupVersionKind kind, string ns, string name, JsonObject status,
        CancellationToken ct = default) =>
        Client.PatchAsync(kind, ns, name, PatchKind.Merge, new JsonObject { ["status"] = status }.ToJsonString(), ct,
            subresource: "status");

    /// <summary>Polls <paramref name="probe"/> until it returns a value or the deadline passes (tests never sleep).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what)
        where T : class
    {
        var until = DateTimeOffset.UtcNow + deadline;
        var delay = TimeSpan.FromMilliseconds(20);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe().ConfigureAwait(false) is { } value)
                {
                    return value;
                }
            }
#pragma warning disable CA1031 // Remember the last failure for the timeout message.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                last = ex;
            }

            if (DateTimeOffset.UtcNow >= until)
            {
                throw new TimeoutException("timed out after " + deadline + " waiting for " + what +
                                           (last is null ? "" : "; last error: " + last.Message), last);
            }

            await Task.Delay(delay).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(200, delay.TotalMilliseconds * 2));
        }
    }

    /// <summary>Polls a condition until it holds or the deadline passes.</summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan deadline, string what) =>
        EventuallyAsync<object>(async () => await condition().ConfigureAwait(false) ? new object() : null, deadline, what);

    private async Task InstallCrdsAsync(CancellationToken ct)
    {
        var files = new[] { TestPaths.Repo("config", "crd"), TestPaths.Repo("config", "testing", "flux-crds") }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.yaml"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var crds = new List<JsonObject>();
        foreach (var file in files)
        {
            crds.AddRange(KubeYaml.ParseDocuments(await File.ReadAllTextAsync(file, ct).ConfigureAwait(false), file)
                .OfType<JsonObject>()
                .Where(o => KubeObject.Kind(o) == "CustomResourceDefinition"));
        }

        var applier = new ServerSideApplier(Client, new ApplierOptions
        {
            FieldManager = "stageset-tests",
            EstablishedPollInterval = TimeSpan.FromMilliseconds(50),
        });
        await applier.ApplyBatchesAsync([crds], ct).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (!IsLocal && _kube is not null)
        {
            foreach (var ns in _namespaces)
            {
                await Client.DeleteAsync(NamespaceKind, null, ns, CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (_artifacts is not null)
        {
            await _artifacts.DisposeAsync().ConfigureAwait(false);
        }

        _kube?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static GroupVersionKind CustomResourceDefinition => CrdKind;

    private static KubernetesClientConfiguration Copy(KubernetesClientConfiguration c) => new()
    {
        Host = c.Host,
        AccessToken = c.AccessToken,
        SslCaCerts = c.SslCaCerts,
        SkipTlsVerify = c.SkipTlsVerify,
        ClientCertificateData = c.ClientCertificateData,
        ClientCertificateKeyData = c.ClientCertificateKeyData,
        ClientCertificateFilePath = c.ClientCertificateFilePath,
        ClientKeyFilePath = c.ClientKeyFilePath,
        ClientCertificateKeyStoreFlags = c.ClientCertificateKeyStoreFlags,
        Username = c.Username,
        Password = c.Password,
        TokenProvider = c.TokenProvider,
        Namespace = c.Namespace,
        TlsServerName = c.TlsServerName,
    };

    private static InvalidOperationException NotStarted() => new("the test cluster is not started");
}
