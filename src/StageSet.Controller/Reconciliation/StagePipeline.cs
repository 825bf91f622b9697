using System.Text.Json.Nodes;
using StageSet.Api;

namespace StageSet.Controller.Reconciliation;

/// <summary>
/// A stage's source, resolved and pinned before anything is applied. <see cref="Key"/> is
/// <c>&lt;namespace&gt;/&lt;name&gt;</c> of the resolved source object (the key of lastAttemptedRevisions).
/// </summary>
public sealed record PinnedSource(string Key, string Url, string Digest, string Revision);

/// <summary>
/// What the reconciler asks of the release engine per stage: resolve the source to a pinned artifact, and turn
/// the artifact into the stage's objects (fetch, build, patches, postBuild substitution). Reads go to the cluster
/// through the identities the implementation is given.
/// </summary>
public interface IStagePipeline
{
    /// <summary>Throws <see cref="SourceFailure"/> with the Ready reason when the source cannot be pinned.</summary>
    Task<PinnedSource> ResolveAsync(StageSetResource stageSet, Stage stage, CancellationToken ct);

    /// <summary>Throws <see cref="StageOperationFailure"/> naming the failed operation.</summary>
    Task<IReadOnlyList<JsonObject>> RenderAsync(StageSetResource stageSet, Stage stage, PinnedSource source,
        CancellationToken ct);
}
