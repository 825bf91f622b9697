using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Storage;

/// <summary>
/// One persisted object version. Immutable: the JSON is kept as UTF-8 bytes (JsonNode is not safe to share between
/// threads), and what selectors need (labels, selectable fields) is extracted once at write time.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(byte[] json, long resourceVersion, string ns, string name, ObjectIndex index)
    {
        Json = json;
        ResourceVersion = resourceVersion;
        Namespace = ns;
        Name = name;
        Index = index;
    }

    public byte[] Json { get; }

    public long ResourceVersion { get; }

    public string Namespace { get; }

    public string Name { get; }

    public ObjectIndex Index { get; }

    public string Key => StoreKeys.Of(Namespace, Name);

    /// <summary>A fresh mutable copy.</summary>
    public JsonObject ToJsonObject() => (JsonObject)JsonNode.Parse(Json)!;

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, JsonWire.Options);
}

/// <summary>Labels and selectable field values of an object, for label and field selectors.</summary>
internal sealed record ObjectIndex(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Fields)
{
    public static readonly ObjectIndex Empty = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}

internal static class StoreKeys
{
    /// <summary>etcd-style key: lists come back in this (ordinal) order, namespace then name.</summary>
    public static string Of(string ns, string name) => ns + "/" + name;
}

/// <summary>JSON writing shared by storage and responses: Go escapes only what HTML needs; so do we (readable output).</summary>
internal static class JsonWire
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
