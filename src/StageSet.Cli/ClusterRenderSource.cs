using System.Text.Json.Nodes;
using StageSet.Artifacts;
using StageSet.Controller.Reconciliation;
using StageSet.Engine.Sources;
using StageSet.Engine.Substitution;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Cli;

/// <summary>
/// <c>build NAME</c>'s sources: each stage's source resolved and its artifact fetched and verified like the
/// controller does (with the client's permissive network guard), unless <c>--source-dir</c> names a local tree for
/// the stage. postBuild variables are read with the caller's credentials (or the tenant's with <c>--as-tenant</c>).
/// </summary>
internal sealed class ClusterRenderSource : IRenderSource, IDisposable
{
    private readonly StageSetDocument _document;
    private readonly SourceDirs _dirs;
    private readonly SourceResolver _resolver;
    private readonly DirectoryInfo _cacheDir = Directory.CreateTempSubdirectory("stagesetctl-artifacts-");
    private readonly ArtifactCache _cache;
    private readonly List<ArtifactCache.ArtifactLease> _leases = [];

    public ClusterRenderSource(DynamicClient client, StageSetDocument document, SourceDirs dirs, bool asTenant, bool noCrossNamespaceRefs)
    {
        _document = document;
        _dirs = dirs;
        _resolver = new SourceResolver(new ClusterSourceReader(client), noCrossNamespaceRefs);
        _cache = new ArtifactCache(new ArtifactCacheOptions
        {
            Directory = _cacheDir.FullName,
            Fetch = new ArtifactFetchOptions { NetworkGuard = false },
        });
        Variables = new ClusterVariableReader(asTenant ? client.As(KubeIdentity.ServiceAccount(document.Namespace, document.ServiceAccountName)) : client);
    }

    public IVariableSourceReader Variables { get; }

    public async Task<ArtifactTree> GetTreeAsync(StageDefinition stage, CancellationToken ct)
    {
        if (_dirs.For(stage.Name) is not null)
        {
            return await new LocalRenderSource(_dirs).GetTreeAsync(stage, ct).ConfigureAwait(false);
        }

        var resolution = await _resolver.ResolveAsync(stage.Source, _document.Namespace, ct).ConfigureAwait(false);
        if (resolution.Artifact is not { } artifact)
        {
            throw new CliException($"stage \"{stage.Name}\": resolve source: {resolution.Message ?? resolution.Reason}");
        }

        try
        {
            var lease = await _cache.AcquireAsync(artifact.Url, artifact.Digest, ct).ConfigureAwait(false);
            _leases.Add(lease);
            return lease.Tree;
        }
        catch (ArtifactException e)
        {
            throw new CliException($"stage \"{stage.Name}\": fetch artifact {artifact.Url}: {e.Message}");
        }
    }

    public void Dispose()
    {
        _leases.ForEach(l => l.Dispose());
        _cache.Dispose();
        try
        {
            _cacheDir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory; the OS cleans up what is left.
        }
    }
}
