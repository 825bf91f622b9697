using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace StageSet.Engine.Tests.Health;

/// <summary>
/// Turns the small YAML manifests inside the kstatus vectors into JsonObjects with sigs.k8s.io/yaml's scalar typing
/// (plain scalars resolve to null/bool/int/float, quoted ones stay strings; a repeated key keeps the last value).
/// </summary>
internal static partial class VectorYaml
{
    public static JsonObject Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        parser.Consume<DocumentStart>();
        var node = ReadNode(parser);
        return node as JsonObject ?? throw new InvalidOperationException("manifest is not a mapping");
    }

    private static JsonNode? ReadNode(IParser parser)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return Resolve(scalar);
        }

        if (parser.TryConsume<MappingStart>(out _))
        {
            var obj = new JsonObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>().Value;
                var value = ReadNode(parser);
                obj.Remove(key);
                obj[key] = value;
            }

            return obj;
        }

        parser.Consume<SequenceStart>();
        var array = new JsonArray();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            array.Add(ReadNode(parser));
        }

        return array;
    }

    private static JsonNode? Resolve(Scalar s)
    {
        if (s.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(s.Value);
        }

        var v = s.Value;
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (v is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (v is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntPattern().IsMatch(v))
        {
            return JsonValue.Create(long.Parse(v, CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(v))
        {
            return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(v);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
