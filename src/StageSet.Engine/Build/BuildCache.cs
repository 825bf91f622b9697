using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Engine.Build;

/// <summary>
/// Remembers stage renders by a digest of everything they depend on (artifact digest, path, patches, variables),
/// so an unchanged stage is not re-run through kustomize every reconcile. Bounded by entry count, least recently
/// used first; callers get private copies.
/// </summary>
public sealed class BuildCache(int capacity = 128)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, JsonObject[] Objects)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, JsonObject[] Objects)> _lru = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>The key of a request, or null when it cannot be cached (no artifact digest).</summary>
    public static string? KeyOf(BuildRequest request)
    {
        if (string.IsNullOrEmpty(request.ArtifactDigest))
        {
            return null;
        }

        var input = new JsonObject
        {
            ["digest"] = request.ArtifactDigest.Trim().ToLowerInvariant(),
            ["path"] = request.Path ?? "",
            ["patches"] = JsonSerializer.SerializeToNode(request.Patches),
            ["variables"] = new JsonArray([.. request.Variables.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (JsonNode)new JsonArray(kv.Key, kv.Value))]),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input.ToJsonString())));
    }

    public bool TryGet(string key, out List<JsonObject> objects)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                objects = [.. node.Value.Objects.Select(o => o.DeepClone().AsObject())];
                return true;
            }
        }

        objects = [];
        return false;
    }

    public void Put(string key, IEnumerable<JsonObject> objects)
    {
        var copy = objects.Select(o => o.DeepClone().AsObject()).ToArray();
        lock (_lock)
        {
            if (_index.Remove(key, out var old))
            {
                _lru.Remove(old);
            }

            _index[key] = _lru.AddFirst((key, copy));
            while (_index.Count > capacity && _lru.Last is { } last)
            {
                _lru.RemoveLast();
                _index.Remove(last.Value.Key);
            }
        }
    }
}
