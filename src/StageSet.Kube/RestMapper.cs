using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Kube;

/// <summary>How a kind is reached over REST.</summary>
public sealed record ResourceMapping(GroupVersionKind Kind, GroupVersionResource Resource, bool Namespaced);

/// <summary>
/// Discovery-backed kind-to-resource mapping. Resource lists are fetched per group/version on first use and
/// fetched again when a kind is missing, so a CRD that becomes established mid-run resolves without a restart.
/// </summary>
public sealed class RestMapper
{
    private readonly KubeTransport _transport;
    private readonly ConcurrentDictionary<GroupVersion, IReadOnlyDictionary<string, ResourceMapping>> _byGroupVersion = new();
    private readonly ConcurrentDictionary<string, GroupVersion> _preferred = new();

    public RestMapper(KubeTransport transport) => _transport = transport;

    /// <summary>The mapping for <paramref name="gvk"/>; throws <see cref="NoKindMatchException"/> when not served.</summary>
    public async Task<ResourceMapping> MapAsync(GroupVersionKind gvk, CancellationToken ct)
    {
        if (_byGroupVersion.TryGetValue(gvk.GroupVersion, out var known) && known.TryGetValue(gvk.Kind, out var hit))
        {
            return hit;
        }

        var fresh = await FetchAsync(gvk.GroupVersion, ct).ConfigureAwait(false);
        return fresh.TryGetValue(gvk.Kind, out var mapping)
            ? mapping
            : throw new NoKindMatchException(gvk, "map " + gvk);
    }

    /// <summary>
    /// Maps a kind whose version is unknown (readiness checks name only a group) through the group's preferred
    /// version.
    /// </summary>
    public async Task<ResourceMapping> MapAsync(GroupKind groupKind, CancellationToken ct)
    {
        if (!_preferred.TryGetValue(groupKind.Group, out var gv))
        {
            gv = await PreferredVersionAsync(groupKind.Group, ct).ConfigureAwait(false)
                 ?? throw new NoKindMatchException(new GroupVersionKind(groupKind.Group, "", groupKind.Kind),
                     "map " + groupKind);
        }

        try
        {
            return await MapAsync(new GroupVersionKind(gv.Group, gv.Version, groupKind.Kind), ct).ConfigureAwait(false);
        }
        catch (NoKindMatchException)
        {
            // The preferred version may have changed (CRD updated); ask once more before giving up.
            _preferred.TryRemove(groupKind.Group, out _);
            var again = await PreferredVersionAsync(groupKind.Group, ct).ConfigureAwait(false);
            if (again is null || again == gv)
            {
                throw;
            }

            return await MapAsync(new GroupVersionKind(again.Value.Group, again.Value.Version, groupKind.Kind), ct)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Forgets everything learnt, e.g. after a CRD was deleted.</summary>
    public void Invalidate()
    {
        _byGroupVersion.Clear();
        _preferred.Clear();
    }

    private async Task<GroupVersion?> PreferredVersionAsync(string group, CancellationToken ct)
    {
        if (group.Length == 0)
        {
            _preferred[group] = new GroupVersion("", "v1");
            return _preferred[group];
        }

        JsonObject doc;
        try
        {
            doc = await _transport.SendAsync(
                new KubeRequest(HttpMethod.Get, "apis/" + group, "discover group " + group) { Idempotent = true },
                ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return null;
        }

        var version = (doc["preferredVersion"] as JsonObject)?["version"]?.GetValue<string>()
                      ?? ((doc["versions"] as JsonArray)?.FirstOrDefault() as JsonObject)?["version"]?.GetValue<string>();
        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        var gv = new GroupVersion(group, version);
        _preferred[group] = gv;
        return gv;
    }

    private async Task<IReadOnlyDictionary<string, ResourceMapping>> FetchAsync(GroupVersion gv, CancellationToken ct)
    {
        var path = gv.Group.Length == 0 ? "api/" + gv.Version : "apis/" + gv.Group + "/" + gv.Version;
        JsonObject doc;
        try
        {
            doc = await _transport.SendAsync(
                new KubeRequest(HttpMethod.Get, path, "discover " + gv) { Idempotent = true }, ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            var empty = new Dictionary<string, ResourceMapping>();
            _byGroupVersion[gv] = empty;
            return empty;
        }

        var map = new Dictionary<string, ResourceMapping>(StringComparer.Ordinal);
        foreach (var node in doc["resources"] as JsonArray ?? [])
        {
            if (node is not JsonObject r || r["name"]?.GetValue<string>() is not { } name || name.Contains('/') ||
                r["kind"]?.GetValue<string>() is not { Length: > 0 } kind)
            {
                continue;
            }

            var namespaced = r["namespaced"]?.GetValue<bool>() ?? false;
            map.TryAdd(kind, new ResourceMapping(new GroupVersionKind(gv.Group, gv.Version, kind),
                new GroupVersionResource(gv.Group, gv.Version, name), namespaced));
        }

        _byGroupVersion[gv] = map;
        return map;
    }
}
