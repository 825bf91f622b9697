using System.Text.Json.Nodes;
using StageSet.Engine.Sources;
using StageSet.Engine.Substitution;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Controller.Reconciliation;

/// <summary>Flux source objects read fresh from the API server with the client's identity (controller or CLI caller).</summary>
public sealed class ClusterSourceReader(DynamicClient client) : ISourceReader
{
    private static readonly GroupVersionKind ExternalArtifact = new("source.toolkit.fluxcd.io", "v1", "ExternalArtifact");

    public async Task<JsonObject?> GetAsync(GroupVersionKind kind, string @namespace, string name, CancellationToken ct)
    {
        try
        {
            return await client.GetAsync(kind, @namespace, name, ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (KubeErrors.IsPermissionOrKindProblem(ex))
        {
            throw new SourceAccessDeniedException(ex.Message);
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListExternalArtifactsAsync(string @namespace, CancellationToken ct)
    {
        try
        {
            return (await client.ListAsync(ExternalArtifact, @namespace, null, ct).ConfigureAwait(false)).Items;
        }
        catch (KubeApiException ex) when (KubeErrors.IsPermissionOrKindProblem(ex))
        {
            throw new SourceAccessDeniedException(ex.Message);
        }
    }
}

/// <summary>ConfigMaps and Secrets for postBuild, read as the StageSet-level identity.</summary>
public sealed class ClusterVariableReader(DynamicClient client) : IVariableSourceReader
{
    public Task<JsonObject?> GetAsync(string kind, string @namespace, string name, CancellationToken ct) =>
        client.GetAsync(new GroupVersionKind("", "v1", kind), @namespace, name, ct);
}
