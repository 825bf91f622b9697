using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Yaml;

/// <summary>
/// Converts a parsed YAML document to JSON the way sigs.k8s.io/yaml's <c>YAMLToJSON</c> does: keys stringified
/// (bools as <c>true</c>/<c>false</c>, floats in Go's 32-bit shortest form), integers exact within 64 bits, floats in
/// Go's JSON form, merge keys applied in go-yaml v2's order. The result is parsed once from JSON text, so its values
/// behave exactly like any other <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> result.
/// </summary>
internal sealed class YamlToJson
{
    // Expanding aliases can grow a small document exponentially ("billion laughs"); cap what aliases may add.
    private const long MaxAliasedNodes = 1_000_000;

    private readonly string _source;
    private readonly bool _strict;

    private YamlToJson(string source, bool strict)
    {
        _source = source;
        _strict = strict;
    }

    public static JsonNode? Convert(YamlTreeNode root, string source, bool strict)
    {
        var converter = new YamlToJson(source, strict);
        if (AliasGrowth.Of(root) > MaxAliasedNodes)
        {
            throw converter.Error(root, "document contains excessive aliasing");
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            converter.Write(writer, root);
        }

        return JsonNode.Parse(buffer.WrittenSpan);
    }

    private void Write(Utf8JsonWriter writer, YamlTreeNode node)
    {
        switch (node)
        {
            case YamlTreeAlias alias:
                Write(writer, alias.Target);
                break;
            case YamlTreeScalar scalar:
                WriteScalar(writer, scalar);
                break;
            case YamlTreeSequence sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlTreeMapping mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in Flatten(mapping))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private void WriteScalar(Utf8JsonWriter writer, YamlTreeScalar scalar)
    {
        var r = Resolve(scalar);
        switch (r.Kind)
        {
            case ScalarKind.Null:
                writer.WriteNullValue();
                break;
            case ScalarKind.Bool:
                writer.WriteBooleanValue(r.Bool);
                break;
            case ScalarKind.Int:
                writer.WriteNumberValue(r.Int);
                break;
            case ScalarKind.UInt:
                writer.WriteNumberValue(r.UInt);
                break;
            case ScalarKind.Float:
                if (!double.IsFinite(r.Float))
                {
                    throw Error(scalar, $"cannot represent {scalar.Value} in JSON");
                }

                writer.WriteRawValue(GoFloat.FormatJson(r.Float), skipInputValidation: true);
                break;
            default:
                writer.WriteStringValue(r.Text);
                break;
        }
    }

    /// <summary>The mapping's entries after merge keys and duplicate handling, in first-seen key order.</summary>
    private List<KeyValuePair<string, YamlTreeNode>> Flatten(YamlTreeMapping mapping)
    {
        var order = new List<string>();
        var values = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
        HashSet<string>? explicitKeys = _strict ? new HashSet<string>(StringComparer.Ordinal) : null;
        Collect(mapping, order, values, explicitKeys);
        return order.Select(k => new KeyValuePair<string, YamlTreeNode>(k, values[k])).ToList();
    }

    // go-yaml v2 order: entries apply in sequence, a merge (<<) sets every merged key at its position (earlier maps
    // of a merge list win), later explicit keys override. Strict mode rejects repeated explicit keys only, so the
    // common "<<: *base, then override" pattern stays valid.
    private void Collect(YamlTreeMapping mapping, List<string> order, Dictionary<string, YamlTreeNode> values, HashSet<string>? explicitKeys)
    {
        foreach (var (keyNode, value) in mapping.Entries)
        {
            if (Deref(keyNode) is YamlTreeScalar { Value: "<<" } mk && ((mk.Plain && mk.Tag is null) || mk.Tag == ScalarResolver.MergeTag))
            {
                Merge(value, order, values);
                continue;
            }

            var key = KeyString(keyNode, value);
            if (explicitKeys is not null && !explicitKeys.Add(key))
            {
                throw Error(keyNode, $"key {FieldError.Quote(key)} already set in map");
            }

            Set(order, values, key, value);
        }
    }

    private void Merge(YamlTreeNode source, List<string> order, Dictionary<string, YamlTreeNode> values)
    {
        switch (Deref(source))
        {
            case YamlTreeMapping map:
                Collect(map, order, values, explicitKeys: null);
                break;
            case YamlTreeSequence seq when seq.Items.All(i => Deref(i) is YamlTreeMapping):
                for (var i = seq.Items.Count - 1; i >= 0; i--)
                {
                    Collect((YamlTreeMapping)Deref(seq.Items[i]), order, values, explicitKeys: null);
                }

                break;
            default:
                throw Error(source, "map merge requires map or sequence of maps as the value");
        }
    }

    private static void Set(List<string> order, Dictionary<string, YamlTreeNode> values, string key, YamlTreeNode value)
    {
        if (!values.ContainsKey(key))
        {
            order.Add(key);
        }

        values[key] = value;
    }

    private static YamlTreeNode Deref(YamlTreeNode node) => node is YamlTreeAlias alias ? alias.Target : node;

    private string KeyString(YamlTreeNode keyNode, YamlTreeNode value)
    {
        if (Deref(keyNode) is not YamlTreeScalar scalar)
        {
            throw Error(keyNode, "unsupported map key: a " + (Deref(keyNode) is YamlTreeMapping ? "mapping" : "sequence") + " cannot be a JSON object key");
        }

        var r = Resolve(scalar);
        return r.Kind switch
        {
            ScalarKind.String => r.Text,
            ScalarKind.Bool => r.Bool ? "true" : "false",
            ScalarKind.Int => r.Int.ToString(CultureInfo.InvariantCulture),
            ScalarKind.UInt => r.UInt.ToString(CultureInfo.InvariantCulture),
            // sigs.k8s.io/yaml formats float keys with 32-bit precision.
            ScalarKind.Float => GoFloat.FormatYaml(r.Float, float32: true),
            _ => throw Error(keyNode, $"unsupported map key of type null (key {FieldError.Quote(scalar.Value)}, value at line {value.Line})"),
        };
    }

    private ResolvedScalar Resolve(YamlTreeScalar scalar)
    {
        var r = ScalarResolver.Resolve(scalar.Value, scalar.Tag, scalar.Plain, out var error);
        return error is null ? r : throw Error(scalar, error);
    }

    private KubeYamlException Error(YamlTreeNode node, string reason) => new(_source, node.Line, node.Column, reason);
}
