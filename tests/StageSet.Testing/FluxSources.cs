using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.ArtifactStorage;
using StageSet.Manifests;

namespace StageSet.Testing;

/// <summary>Publishes Flux source objects whose status carries an artifact served by the fixture's artifact server.</summary>
public sealed class FluxSources(TestCluster cluster)
{
    public const string ApiVersion = "source.toolkit.fluxcd.io/v1";

    public static GroupVersionKind ExternalArtifact { get; } = new("source.toolkit.fluxcd.io", "v1", "ExternalArtifact");

    public static GroupVersionKind GitRepository { get; } = new("source.toolkit.fluxcd.io", "v1", "GitRepository");

    /// <summary>
    /// Creates or updates an ExternalArtifact named <paramref name="name"/> serving <paramref name="files"/> at
    /// <paramref name="revision"/>, Ready=True. <paramref name="producer"/> sets the back-pointer
    /// (<c>spec.sourceRef</c>) to a producer object.
    /// </summary>
    public Task<PublishedArtifact> PublishExternalArtifactAsync(string ns, string name,
        IReadOnlyDictionary<string, string> files, string revision, ProducerRef? producer = null) =>
        PublishAsync(ExternalArtifact, ns, name, files, revision, producer is null
            ? new JsonObject()
            : new JsonObject
            {
                ["sourceRef"] = new JsonObject
                {
                    ["apiVersion"] = producer.ApiVersion,
                    ["kind"] = producer.Kind,
                    ["name"] = producer.Name,
                },
            });

    /// <summary>Creates or updates a GitRepository whose status artifact serves <paramref name="files"/>.</summary>
    public Task<PublishedArtifact> PublishGitRepositoryAsync(string ns, string name,
        IReadOnlyDictionary<string, string> files, string revision) =>
        PublishAsync(GitRepository, ns, name, files, revision, new JsonObject
        {
            ["url"] = "https://example.invalid/repo.git",
            ["interval"] = "1m",
        });

    /// <summary>Sets the Ready condition of a source without touching its artifact.</summary>
    public Task SetReadyAsync(GroupVersionKind kind, string ns, string name, string status, string reason, string message) =>
        cluster.PatchStatusAsync(kind, ns, name, new JsonObject { ["conditions"] = new JsonArray(Condition(status, reason, message)) });

    private async Task<PublishedArtifact> PublishAsync(GroupVersionKind kind, string ns, string name,
        IReadOnlyDictionary<string, string> files, string revision, JsonObject spec)
    {
        var tarball = Tarball.From(files);
        var path = ns + "/" + kind.Kind.ToLowerInvariant() + "/" + name + "/" + tarball.Digest[7..19] + ".tar.gz";
        var published = cluster.Artifacts.Publish(path, tarball);
        await cluster.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion,
            ["kind"] = kind.Kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        }).ConfigureAwait(false);
        await cluster.PatchStatusAsync(kind, ns, name, published.SourceStatus(revision)).ConfigureAwait(false);
        return published;
    }

    private static JsonObject Condition(string status, string reason, string message) => new()
    {
        ["type"] = "Ready",
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };
}

/// <summary>The object an ExternalArtifact points back to.</summary>
public sealed record ProducerRef(string ApiVersion, string Kind, string Name);
