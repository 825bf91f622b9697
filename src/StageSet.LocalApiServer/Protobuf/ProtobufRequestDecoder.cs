using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Protobuf;

/// <summary>
/// Decodes <c>application/vnd.kubernetes.protobuf</c> request bodies (api-server.md §0.1) into the JSON object the rest
/// of the server works with. kubectl 1.32 sends its typed commands (create namespace/configmap/secret/serviceaccount,
/// auth can-i, auth whoami, create token) only in this form.
/// </summary>
public static class ProtobufRequestDecoder
{
    /// <summary>The four bytes <c>k8s\0</c> that prefix every Kubernetes protobuf envelope.</summary>
    private static ReadOnlySpan<byte> Magic => [0x6B, 0x38, 0x73, 0x00];

    /// <summary>Go's zero <c>time.Time</c> as Unix seconds; a client may send it instead of an empty Time.</summary>
    private const long GoZeroTimeUnixSeconds = -62135596800;

    /// <summary>Whether <see cref="Decode"/> understands bodies of this kind.</summary>
    public static bool Supports(GroupVersionKind gvk) => KubeProtoMessages.ByKind.ContainsKey(gvk);

    /// <summary>Returns the object with <c>apiVersion</c> and <c>kind</c> set from the envelope.</summary>
    /// <exception cref="FormatException">The body is not a well-formed envelope or message.</exception>
    /// <exception cref="UnsupportedProtobufKindException">The envelope names a kind this decoder has no table for.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw new FormatException("protobuf body does not start with the Kubernetes envelope prefix \"k8s\\x00\"");
        }

        var envelope = ReadEnvelope(body[Magic.Length..]);
        var gvk = GroupVersionKind.From(envelope.ApiVersion, envelope.Kind);
        if (envelope.Kind.Length == 0 || envelope.ApiVersion.Length == 0)
        {
            throw new FormatException("protobuf envelope carries no apiVersion/kind");
        }

        if (envelope.ContentEncoding.Length > 0)
        {
            throw new FormatException($"protobuf envelope content encoding \"{envelope.ContentEncoding}\" is not supported");
        }

        if (!KubeProtoMessages.ByKind.TryGetValue(gvk, out var message))
        {
            throw new UnsupportedProtobufKindException(gvk);
        }

        var result = new JsonObject
        {
            ["apiVersion"] = envelope.ApiVersion,
            ["kind"] = envelope.Kind,
        };
        return DecodeMessage(envelope.Raw, message, result);
    }

    private sealed record Envelope(string ApiVersion, string Kind, byte[] Raw, string ContentEncoding);

    private static Envelope ReadEnvelope(ReadOnlySpan<byte> data)
    {
        string apiVersion = "", kind = "", encoding = "";
        byte[] raw = [];
        var reader = new ProtoReader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire != WireType.LengthDelimited || field > 4)
            {
                reader.Skip(wire);
                continue;
            }

            var bytes = reader.ReadLengthDelimited();
            switch (field)
            {
                case 1:
                    (apiVersion, kind) = ReadTypeMeta(bytes);
                    break;
                case 2:
                    raw = bytes.ToArray();
                    break;
                case 3:
                    encoding = Utf8(bytes);
                    break;
            }
        }

        return new Envelope(apiVersion, kind, raw, encoding);
    }

    private static (string ApiVersion, string Kind) ReadTypeMeta(ReadOnlySpan<byte> data)
    {
        string apiVersion = "", kind = "";
        var reader = new ProtoReader(data);
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (wire == WireType.LengthDelimited && field is 1 or 2)
            {
                var value = Utf8(reader.ReadLengthDelimited());
                if (field == 1)
                {
                    apiVersion = value;
                }
                else
                {
                    kind = value;
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (apiVersion, kind);
    }

    private static JsonObject DecodeMessage(ReadOnlySpan<byte> data, ProtoMessage message, JsonObject? into = null)
    {
        var values = new Dictionary<ProtoField, JsonNode>();
        var reader = new ProtoReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            var field = message.Field(number);
            if (field is null)
            {
                reader.Skip(wire);
                continue;
            }

            var expected = field.Type is ProtoFieldType.Flag or ProtoFieldType.Integer ? WireType.Varint : WireType.LengthDelimited;
            if (wire != expected)
            {
                throw new FormatException(
                    $"{message.Name}.{field.Json} (field {number}): expected protobuf wire type {(int)expected}, got {(int)wire}");
            }

            Apply(values, field, ref reader);
        }

        var obj = into ?? new JsonObject();
        foreach (var field in message.Fields)
        {
            if (values.Remove(field, out var node))
            {
                obj[field.Json] = node is JsonObject map && field.Type is ProtoFieldType.TextMap or ProtoFieldType.BlobMap or ProtoFieldType.TextListMap
                    ? SortedByKey(map)
                    : node;
            }
        }

        return obj;
    }

    private static void Apply(Dictionary<ProtoField, JsonNode> values, ProtoField field, ref ProtoReader reader)
    {
        switch (field.Type)
        {
            case ProtoFieldType.Flag:
                values[field] = JsonValue.Create(reader.ReadVarint() != 0);
                return;
            case ProtoFieldType.Integer:
                SetOrClear(values, field, (long)reader.ReadVarint() is var n && n != 0 ? JsonValue.Create(n) : null);
                return;
            case ProtoFieldType.TextMap or ProtoFieldType.BlobMap or ProtoFieldType.TextListMap:
                var (key, value) = ReadMapEntry(reader.ReadLengthDelimited(), field);
                var map = values.TryGetValue(field, out var existing) ? (JsonObject)existing : new JsonObject();
                map[key] = value;
                values[field] = map;
                return;
        }

        var bytes = reader.ReadLengthDelimited();
        JsonNode? node = field.Type switch
        {
            ProtoFieldType.Text => bytes.Length == 0 ? null : JsonValue.Create(Utf8(bytes)),
            ProtoFieldType.Blob => JsonValue.Create(Convert.ToBase64String(bytes)),
            ProtoFieldType.Timestamp => ReadTime(bytes, field),
            _ => DecodeMessage(bytes, field.Message!),
        };
        if (field.Repeated)
        {
            var list = values.TryGetValue(field, out var existing) ? (JsonArray)existing : new JsonArray();
            list.Add(node ?? JsonValue.Create(""));
            values[field] = list;
        }
        else
        {
            SetOrClear(values, field, node);
        }
    }

    /// <summary>Proto's last-one-wins for scalars; Go writes empty non-pointer scalars, which JSON would omit.</summary>
    private static void SetOrClear(Dictionary<ProtoField, JsonNode> values, ProtoField field, JsonNode? node)
    {
        if (node is null)
        {
            values.Remove(field);
        }
        else
        {
            values[field] = node;
        }
    }

    private static (string Key, JsonNode? Value) ReadMapEntry(ReadOnlySpan<byte> data, ProtoField field)
    {
        var key = "";
        JsonNode? value = field.Type switch
        {
            ProtoFieldType.BlobMap => JsonValue.Create(""),
            ProtoFieldType.TextListMap => new JsonArray(),
            _ => JsonValue.Create(""),
        };
        var reader = new ProtoReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (wire != WireType.LengthDelimited || number is not (1 or 2))
            {
                reader.Skip(wire);
                continue;
            }

            var bytes = reader.ReadLengthDelimited();
            if (number == 1)
            {
                key = Utf8(bytes);
                continue;
            }

            value = field.Type switch
            {
                ProtoFieldType.BlobMap => JsonValue.Create(Convert.ToBase64String(bytes)),
                ProtoFieldType.TextListMap => ReadStringList(bytes),
                _ => JsonValue.Create(Utf8(bytes)),
            };
        }

        return (key, value);
    }

    /// <summary>ExtraValue {1 repeated string items}.</summary>
    private static JsonArray ReadStringList(ReadOnlySpan<byte> data)
    {
        var list = new JsonArray();
        var reader = new ProtoReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1 && wire == WireType.LengthDelimited)
            {
                list.Add(Utf8(reader.ReadLengthDelimited()));
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return list;
    }

    private static JsonValue? ReadTime(ReadOnlySpan<byte> data, ProtoField field)
    {
        long seconds = 0;
        var reader = new ProtoReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1 && wire == WireType.Varint)
            {
                seconds = (long)reader.ReadVarint();
            }
            else
            {
                // Nanos are dropped: built-in Time fields are stored with second precision (§3.1).
                reader.Skip(wire);
            }
        }

        if (seconds is 0 or GoZeroTimeUnixSeconds)
        {
            return null;
        }

        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new FormatException($"{field.Json}: time {seconds} seconds is out of range");
        }

        return JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    private static JsonObject SortedByKey(JsonObject map)
    {
        var entries = map.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        map.Clear();
        var sorted = new JsonObject();
        foreach (var (key, value) in entries)
        {
            sorted[key] = value;
        }

        return sorted;
    }

    /// <summary>Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder renders such strings.</summary>
    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>A well-formed protobuf envelope naming a kind the decoder has no field table for (the server answers 415).</summary>
public sealed class UnsupportedProtobufKindException(GroupVersionKind gvk)
    : FormatException($"protobuf request bodies of {gvk} are not supported; send application/json")
{
    public GroupVersionKind Gvk { get; } = gvk;
}
