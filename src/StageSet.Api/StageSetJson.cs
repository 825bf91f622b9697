using System.Collections;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>
/// The one JSON shape of the StageSet API types, matching the Go API: camelCase names, Go <c>omitempty</c>
/// (optional empty strings, false, zero and empty lists are left out; pointer-like nullable values only when
/// null), required fields always written, Go duration strings and RFC 3339 second-precision UTC times.
/// </summary>
public static partial class StageSetJson
{
    /// <summary>Shared, read-only options; every layer (de)serialises the API types with these.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { GoOmitEmpty } },
            Converters = { new Rfc3339TimeConverter(), new SortedStringMapConverter() },
        };
        options.MakeReadOnly();
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static JsonObject ToJsonObject<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!.AsObject();

    /// <summary>Deserialises, turning any shape error into an <see cref="ApiFormatException"/> naming the field.</summary>
    public static T Deserialize<T>(string json) => Wrap(() => JsonSerializer.Deserialize<T>(json, Options)!);

    /// <inheritdoc cref="Deserialize{T}(string)"/>
    public static T Deserialize<T>(JsonNode node) => Wrap(() => node.Deserialize<T>(Options)!);

    private static T Wrap<T>(Func<T> read)
    {
        try
        {
            return read() ?? throw new ApiFormatException("", "the document is null");
        }
        catch (JsonException e)
        {
            var field = FieldPath(e.Path);
            var message = e.InnerException is FormatException or InvalidOperationException ? e.InnerException.Message : e.Message;
            // The serializer's own messages repeat the path; keep only the cause.
            var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
            throw new ApiFormatException(field, cut > 0 ? message[..cut] : message, e);
        }
    }

    /// <summary><c>$.spec.stages[1].timeout</c> → <c>spec.stages[1].timeout</c>.</summary>
    internal static string FieldPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "";
        }

        var path = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return QuotedKey().Replace(path, m => "." + m.Groups[1].Value).TrimStart('.');
    }

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex QuotedKey();

    /// <summary>Applies Go's <c>omitempty</c> to every optional property.</summary>
    private static void GoOmitEmpty(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.IsExtensionData)
            {
                continue;
            }

            if (property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) == true)
            {
                property.ShouldSerialize = static (_, value) => value is not null;
                continue;
            }

            var type = property.PropertyType;
            if (Nullable.GetUnderlyingType(type) is not null)
            {
                // Go pointers (*bool, *int32, *Duration): only nil is empty.
                property.ShouldSerialize = static (_, value) => value is not null;
            }
            else if (type == typeof(string))
            {
                property.ShouldSerialize = static (_, value) => value is string { Length: > 0 };
            }
            else if (type == typeof(bool))
            {
                property.ShouldSerialize = static (_, value) => value is true;
            }
            else if (type == typeof(int) || type == typeof(long))
            {
                property.ShouldSerialize = static (_, value) => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0;
            }
            else if (typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(JsonNode) && !typeof(JsonNode).IsAssignableFrom(type))
            {
                property.ShouldSerialize = static (_, value) => value is IEnumerable e && e.GetEnumerator().MoveNext();
            }
        }
    }
}

/// <summary>A StageSet API document that cannot be read; <see cref="Field"/> names where (empty for the root).</summary>
public sealed class ApiFormatException(string field, string reason, Exception? inner = null)
    : Exception(field.Length == 0 ? reason : field + ": " + reason, inner)
{
    public string Field { get; } = field;

    public string Reason { get; } = reason;
}

/// <summary><c>metav1.Time</c>: RFC 3339 in, UTC seconds out (<c>2026-12-24T00:00:00Z</c>).</summary>
public sealed partial class Rfc3339TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : null;
        return text is not null && TryParse(text, out var value)
            ? value
            : throw new JsonException($"{(text is null ? "a time" : FormatQuoted(text))} is not an RFC 3339 time such as \"2026-12-24T00:00:00Z\"");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        return Rfc3339().IsMatch(text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static string FormatQuoted(string text) => "\"" + text + "\"";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}

/// <summary>Writes string maps with sorted keys, as Go's encoder does, so output is stable.</summary>
public sealed class SortedStringMapConverter : JsonConverter<IReadOnlyDictionary<string, string>>
{
    public override IReadOnlyDictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object of string values");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : reader.TokenType == JsonTokenType.Null ? "" : throw new JsonException($"the value of {key} must be a string");
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, item);
        }

        writer.WriteEndObject();
    }
}
