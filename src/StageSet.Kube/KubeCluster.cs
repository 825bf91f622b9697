using k8s;

namespace StageSet.Kube;

/// <summary>
/// One API server: the transport, its discovery cache and clients for any identity. Share one instance per
/// cluster so discovery is learnt once.
/// </summary>
public sealed class KubeCluster : IDisposable
{
    private KubeCluster(KubeTransport transport)
    {
        Transport = transport;
        Mapper = new RestMapper(transport);
        Client = new DynamicClient(transport, Mapper, KubeIdentity.Controller);
    }

    public KubeTransport Transport { get; }

    public RestMapper Mapper { get; }

    /// <summary>The controller's own identity.</summary>
    public DynamicClient Client { get; }

    public static KubeCluster Connect(KubernetesClientConfiguration config, KubeTransportOptions? options = null) =>
        new(new KubeTransport(config, options));

    public DynamicClient As(KubeIdentity identity) => Client.As(identity);

    public void Dispose() => Transport.Dispose();
}
