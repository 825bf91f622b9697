using System.Net;
using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Artifacts;
using StageSet.Controller.Hosting;
using StageSet.Engine.Build;
using StageSet.Engine.Rollout;
using StageSet.Engine.Sources;
using StageSet.Engine.Substitution;
using StageSet.Kube;
using StageSet.Manifests;
using StageSet.Manifests.Yaml;
using PatchTarget = StageSet.Engine.Build.PatchTarget;

namespace StageSet.Controller.Reconciliation;

/// <summary>
/// The release engine, backed by the cluster: source resolution with an uncached reader (controller identity, so
/// it works outside <c>--watch-namespaces</c>), the shared content-addressed artifact cache (an artifact is
/// downloaded once per digest), postBuild variables read under the StageSet-level identity, and the build.
/// </summary>
internal sealed class EngineStagePipeline : IStagePipeline, IDisposable
{
    private readonly ReconcilerServices _s;
    private readonly SourceResolver _resolver;
    private readonly ArtifactCache _artifacts;
    private readonly ManifestBuilder _builder;
    private readonly string? _ownedCacheDir;

    public EngineStagePipeline(ReconcilerServices services)
    {
        _s = services;
        _resolver = new SourceResolver(new ClusterSourceReader(services.Cluster.Client), services.Options.NoCrossNamespaceRefs);
        var dir = services.Options.ArtifactCacheDir;
        if (dir.Length == 0)
        {
            dir = _ownedCacheDir = Directory.CreateTempSubdirectory("stageset-artifacts-").FullName;
        }

        _artifacts = new ArtifactCache(new ArtifactCacheOptions
        {
            Directory = dir,
            Fetch = new ArtifactFetchOptions
            {
                // Only the test harness and the local demo serve artifacts from loopback; never a flag.
                ExemptAddresses = services.Options.AllowLoopbackArtifacts
                    ? new HashSet<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback }
                    : new HashSet<IPAddress>(),
            },
        });
        _builder = new ManifestBuilder(new BuildOptions { Cache = new BuildCache() });
    }

    public async Task<PinnedSource> ResolveAsync(StageSetResource stageSet, Stage stage, CancellationToken ct)
    {
        var r = stage.SourceRef;
        var result = await _resolver.ResolveAsync(new SourceRef(r.ApiVersion, r.Kind, r.Name, r.Namespace),
            stageSet.Metadata.Namespace ?? "", ct).ConfigureAwait(false);
        if (result.Artifact is not { } a)
        {
            var reason = result.Reason ?? ReadyReasons.ResolveFailed;
            var retry = reason == ReadyReasons.RbacDenied
                ? RetryKind.FixedMinute
                : Requeue.KindFor(reason) switch
                {
                    RequeueKind.Retry => RetryKind.Retry,
                    RequeueKind.FixedMinute => RetryKind.FixedMinute,
                    RequeueKind.None => RetryKind.None,
                    _ => RetryKind.Backoff,
                };
            throw new SourceFailure(reason, result.Message ?? reason, retry);
        }

        return new PinnedSource(a.Key, a.Url, a.Digest, a.Revision);
    }

    public async Task<IReadOnlyList<JsonObject>> RenderAsync(StageSetResource stageSet, Stage stage, PinnedSource source,
        CancellationToken ct)
    {
        ArtifactCache.ArtifactLease lease;
        try
        {
            lease = await _artifacts.AcquireAsync(source.Url, source.Digest, ct).ConfigureAwait(false);
        }
        catch (ArtifactException ex)
        {
            throw new StageOperationFailure("fetch artifact", ex.Message, ex.IsTerminal, ex);
        }

        using (lease)
        {
            IReadOnlyDictionary<string, string> variables;
            try
            {
                var reader = new ClusterVariableReader(_s.Cluster.As(
                    KubeIdentity.ServiceAccount(stageSet.Metadata.Namespace ?? "", stageSet.Spec.ServiceAccountName)));
                variables = await PostBuildVariables.ResolveAsync(PostBuildOf(stage), reader, stageSet.Metadata.Namespace ?? "", ct)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is VariableResolutionException or KubeApiException)
            {
                throw new StageOperationFailure("resolve postBuild variables", ex.Message, inner: ex);
            }

            try
            {
                var result = await _builder.BuildAsync(new BuildRequest(lease.Tree, stage.Path)
                {
                    Patches = [.. (stage.Patches ?? []).Select(PatchOf)],
                    Variables = variables,
                    ArtifactDigest = source.Digest,
                }, ct).ConfigureAwait(false);
                // Build results may be shared by the build cache; the controller stamps labels on its own copies.
                return [.. result.Objects.Select(o => (JsonObject)o.DeepClone())];
            }
            catch (Exception ex) when (ex is BuildException or SubstitutionException or KubeYamlException or IOException)
            {
                throw new StageOperationFailure("build", ex.Message, inner: ex);
            }
        }
    }

    private static PostBuildSpec? PostBuildOf(Stage stage) => stage.PostBuild is not { } p
        ? null
        : new PostBuildSpec
        {
            Substitute = p.Substitute ?? new Dictionary<string, string>(),
            SubstituteFrom = [.. (p.SubstituteFrom ?? []).Select(s =>
                new StageSet.Engine.Substitution.SubstituteReference(s.Kind, s.Name, s.Optional))],
        };

    private static StagePatch PatchOf(KustomizePatch patch) => new(patch.Patch, patch.Target is not { } t
        ? null
        : new PatchTarget
        {
            Group = t.Group,
            Version = t.Version,
            Kind = t.Kind,
            Name = t.Name,
            Namespace = t.Namespace,
            LabelSelector = t.LabelSelector,
            AnnotationSelector = t.AnnotationSelector,
        });

    public void Dispose()
    {
        _artifacts.Dispose();
        if (_ownedCacheDir is not null)
        {
            try
            {
                Directory.Delete(_ownedCacheDir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory.
            }
        }
    }
}
