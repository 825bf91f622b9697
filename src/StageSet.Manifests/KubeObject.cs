using System.Text.Json.Nodes;

namespace StageSet.Manifests;

/// <summary>
/// Accessors for Kubernetes objects held as <see cref="JsonObject"/>, the one in-memory form every layer shares.
/// Missing fields read as empty strings or null; nothing here throws on a malformed object.
/// </summary>
public static class KubeObject
{
    public static string ApiVersion(JsonObject obj) => Str(obj, "apiVersion");

    public static string Kind(JsonObject obj) => Str(obj, "kind");

    public static string Name(JsonObject obj) => Str(Metadata(obj), "name");

    public static string Namespace(JsonObject obj) => Str(Metadata(obj), "namespace");

    public static GroupVersionKind Gvk(JsonObject obj) => GroupVersionKind.From(ApiVersion(obj), Kind(obj));

    public static ObjectIdentity Identity(JsonObject obj)
    {
        var gvk = Gvk(obj);
        return new ObjectIdentity(gvk.Group, gvk.Kind, Namespace(obj), Name(obj));
    }

    public static JsonObject? Metadata(JsonObject obj) => obj["metadata"] as JsonObject;

    /// <summary>Returns <c>metadata</c>, creating it when absent.</summary>
    public static JsonObject EnsureMetadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? Label(JsonObject obj, string key) => StrOrNull(Metadata(obj)?["labels"] as JsonObject, key);

    public static string? Annotation(JsonObject obj, string key) =>
        StrOrNull(Metadata(obj)?["annotations"] as JsonObject, key);

    public static void SetLabel(JsonObject obj, string key, string value) => SetIn(EnsureMetadata(obj), "labels", key, value);

    public static void SetAnnotation(JsonObject obj, string key, string value) =>
        SetIn(EnsureMetadata(obj), "annotations", key, value);

    private static void SetIn(JsonObject parent, string mapName, string key, string value)
    {
        if (parent[mapName] is not JsonObject map)
        {
            map = new JsonObject();
            parent[mapName] = map;
        }

        map[key] = value;
    }

    private static string Str(JsonObject? obj, string key) => StrOrNull(obj, key) ?? "";

    private static string? StrOrNull(JsonObject? obj, string key) =>
        obj is not null && obj.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : null;
}
