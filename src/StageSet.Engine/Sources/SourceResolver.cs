using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Sources;

/// <summary>A stage's <c>sourceRef</c> as written in the spec (defaults not yet applied).</summary>
public sealed record SourceRef(string? ApiVersion, string? Kind, string Name, string? Namespace = null);

/// <summary>The artifact a stage will use this run, pinned before anything is applied.</summary>
/// <param name="Key"><c>&lt;namespace&gt;/&lt;name&gt;</c> of the resolved object (for a producer: the ExternalArtifact).</param>
public sealed record PinnedArtifact(string Url, string Digest, string Revision, string Key, GroupVersionKind ResolvedKind);

/// <summary>Either a pinned artifact or the Ready reason and message explaining why not.</summary>
public sealed record SourceResolution(PinnedArtifact? Artifact, string? Reason = null, string? Message = null)
{
    public bool Succeeded => Artifact is not null;

    internal static SourceResolution Fail(string reason, string message) => new(null, reason, message);
}

/// <summary>Reads Flux source objects; the controller backs it with an uncached cluster reader.</summary>
public interface ISourceReader
{
    /// <summary>The object, or null when it does not exist. Other failures throw.</summary>
    Task<JsonObject?> GetAsync(GroupVersionKind kind, string @namespace, string name, CancellationToken ct);

    /// <summary>Every ExternalArtifact (<c>source.toolkit.fluxcd.io/v1</c>) in a namespace.</summary>
    Task<IReadOnlyList<JsonObject>> ListExternalArtifactsAsync(string @namespace, CancellationToken ct);
}

/// <summary>Thrown by an <see cref="ISourceReader"/> when the caller lacks permission (403, unknown kind).</summary>
public sealed class SourceAccessDeniedException(string message) : Exception(message);

/// <summary>
/// Resolves a stage source (flux-source-contract.md §1): ExternalArtifact by default, Git/OCI/Bucket read directly,
/// any other kind through the ExternalArtifact that points back at it. Pure apart from the reader.
/// </summary>
public sealed class SourceResolver(ISourceReader reader, bool noCrossNamespaceRefs = false)
{
    public const string FluxSourceApiVersion = "source.toolkit.fluxcd.io/v1";
    private const string FluxSourceGroup = "source.toolkit.fluxcd.io";
    private static readonly HashSet<string> DirectKinds = ["GitRepository", "OCIRepository", "Bucket"];

    public async Task<SourceResolution> ResolveAsync(SourceRef source, string stageSetNamespace, CancellationToken ct)
    {
        var ns = string.IsNullOrEmpty(source.Namespace) ? stageSetNamespace : source.Namespace;
        var kind = string.IsNullOrEmpty(source.Kind) ? "ExternalArtifact" : source.Kind;
        var crossNamespace = ns != stageSetNamespace;
        if (crossNamespace && noCrossNamespaceRefs)
        {
            return SourceResolution.Fail("ResolveFailed",
                $"cross-namespace references are disabled: {kind} \"{source.Name}\" is in namespace \"{ns}\"");
        }

        var result = await ResolveInNamespaceAsync(source, kind, ns, ct).ConfigureAwait(false);
        // Details of another namespace's objects must not leak into this StageSet's status.
        return !result.Succeeded && crossNamespace && result.Reason != "InvalidSpec"
            ? result with { Message = $"cross-namespace {kind} \"{source.Name}\" is not reachable; check the source CR's status in \"{ns}\"" }
            : result;
    }

    private async Task<SourceResolution> ResolveInNamespaceAsync(SourceRef source, string kind, string ns, CancellationToken ct)
    {
        var apiVersion = string.IsNullOrEmpty(source.ApiVersion) ? null : source.ApiVersion;
        var group = GroupVersion.Parse(apiVersion).Group;
        var direct = kind == "ExternalArtifact" || (DirectKinds.Contains(kind) && (apiVersion is null || group == FluxSourceGroup));
        try
        {
            if (direct)
            {
                var gvk = GroupVersionKind.From(apiVersion ?? FluxSourceApiVersion, kind);
                var obj = await reader.GetAsync(gvk, ns, source.Name, ct).ConfigureAwait(false);
                return obj is null
                    ? SourceResolution.Fail("ArtifactNotFound", $"{kind} {ns}/{source.Name} not found")
                    : Pin(obj, gvk, ns, source.Name);
            }

            if (apiVersion is null)
            {
                return SourceResolution.Fail("InvalidSpec",
                    $"sourceRef.apiVersion is required for kind {kind} (resolved through an ExternalArtifact)");
            }

            var matches = (await reader.ListExternalArtifactsAsync(ns, ct).ConfigureAwait(false))
                .Where(ea => PointsAt(ea, kind, source.Name, group)).ToList();
            return matches.Count switch
            {
                0 => SourceResolution.Fail("ArtifactNotFound",
                    $"no ExternalArtifact in namespace {ns} references {kind} {source.Name}"),
                1 => Pin(matches[0], GroupVersionKind.From(FluxSourceApiVersion, "ExternalArtifact"), ns, KubeObject.Name(matches[0])),
                _ => SourceResolution.Fail("ResolveFailed",
                    $"{matches.Count} ExternalArtifacts in namespace {ns} reference {kind} {source.Name} ({string.Join(", ", matches.Select(KubeObject.Name).Order(StringComparer.Ordinal))}); the reference is ambiguous"),
            };
        }
        catch (SourceAccessDeniedException e)
        {
            return SourceResolution.Fail("RBACDenied", $"resolve {kind} {ns}/{source.Name}: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return SourceResolution.Fail("ResolveFailed", $"resolve {kind} {ns}/{source.Name}: {e.Message}");
        }
    }

    private static bool PointsAt(JsonObject externalArtifact, string kind, string name, string group)
    {
        var back = externalArtifact["spec"]?["sourceRef"];
        return Str(back?["kind"]) == kind && Str(back?["name"]) == name
                                          && GroupVersion.Parse(Str(back?["apiVersion"])).Group == group;
    }

    private static SourceResolution Pin(JsonObject obj, GroupVersionKind gvk, string ns, string name)
    {
        var ready = (obj["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => Str(c["type"]) == "Ready");
        if (ready is null || Str(ready["status"]) != "True")
        {
            var status = ready is null ? "Unknown" : Str(ready["status"]);
            var reason = ready is null ? "NoReadyCondition" : Str(ready["reason"]);
            return SourceResolution.Fail("SourceNotReady",
                $"{gvk.Kind} {ns}/{name} is not ready: Ready={status} reason={reason}");
        }

        if (obj["status"]?["artifact"] is not JsonObject artifact)
        {
            return SourceResolution.Fail("ArtifactNotFound", "source has no status.artifact yet");
        }

        var url = Str(artifact["url"]);
        var digest = Str(artifact["digest"]);
        if (url.Length == 0 || digest.Length == 0)
        {
            return SourceResolution.Fail("ArtifactNotFound",
                $"{gvk.Kind} {ns}/{name} has an artifact without {(url.Length == 0 ? "url" : "digest")}");
        }

        return new SourceResolution(new PinnedArtifact(url, digest, Str(artifact["revision"]), ns + "/" + name, gvk));
    }

    private static string Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
