using System.Text;
using System.Text.Json.Nodes;
using StageSet.Manifests.Yaml;

namespace StageSet.Manifests;

/// <summary>
/// YAML with Kubernetes' semantics (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 booleans and nulls, exact 64-bit
/// integers, stringified keys, merge keys, <c>!!binary</c>, multi-document streams; and YAML output byte-compatible
/// with <c>kubectl -o yaml</c>.
/// </summary>
public static class KubeYaml
{
    private const string DefaultSource = "<input>";

    /// <summary>
    /// Parses a (multi-document) YAML or JSON stream into one JSON node per non-empty document; documents that are
    /// empty or <c>null</c> are skipped. Duplicate keys are rejected unless <paramref name="strict"/> is false (then
    /// the last one wins, as in non-strict sigs.k8s.io/yaml).
    /// </summary>
    /// <exception cref="KubeYamlException">Malformed YAML, a duplicate key, or a value JSON cannot hold; the
    /// message names <paramref name="sourceName"/> and the line.</exception>
    public static IReadOnlyList<JsonNode> ParseDocuments(string text, string? sourceName = null, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = sourceName ?? DefaultSource;
        var documents = new List<JsonNode>();
        foreach (var tree in YamlTreeReader.ReadDocuments(text, source))
        {
            if (YamlToJson.Convert(tree, source, strict) is { } node)
            {
                documents.Add(node);
            }
        }

        return documents;
    }

    /// <summary>
    /// Parses exactly one document (sigs.k8s.io/yaml <c>YAMLToJSON</c>); an empty input yields null.
    /// </summary>
    /// <exception cref="KubeYamlException">Malformed YAML or more than one document.</exception>
    public static JsonNode? Parse(string text, string? sourceName = null, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var source = sourceName ?? DefaultSource;
        var trees = YamlTreeReader.ReadDocuments(text, source);
        if (trees.Count > 1)
        {
            throw new KubeYamlException(source, trees[1].Line, trees[1].Column, "expected a single document in the stream but found more");
        }

        return trees.Count == 0 ? null : YamlToJson.Convert(trees[0], source, strict);
    }

    /// <summary>One document as <c>kubectl -o yaml</c> prints it, ending in a newline.</summary>
    public static string Serialize(JsonNode? node) => JsonToYaml.Serialize(node);

    /// <summary>Documents joined by <c>---</c> lines (none before the first), as <c>kustomize build</c> and
    /// <c>flux build</c> print streams.</summary>
    public static string SerializeStream(IEnumerable<JsonNode?> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var sb = new StringBuilder();
        foreach (var doc in documents)
        {
            if (sb.Length > 0)
            {
                sb.Append("---\n");
            }

            sb.Append(JsonToYaml.Serialize(doc));
        }

        return sb.ToString();
    }
}
