using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace StageSet.Cel;

/// <summary>The variables an evaluation sees. Lookups happen lazily, only for names the expression uses.</summary>
public abstract class CelActivation
{
    public static CelActivation Empty { get; } = new DictionaryActivation(new Dictionary<string, CelValue>());

    public abstract bool TryResolve(string name, [NotNullWhen(true)] out CelValue? value);

    /// <summary>Every top-level field of <paramref name="obj"/> is a variable (Flux's <c>healthCheckExprs</c>).</summary>
    public static CelActivation FromJsonObject(JsonObject obj) => new JsonObjectActivation(obj);

    /// <summary>
    /// A Kubernetes object as StageSet's ready checks see it: <c>apiVersion</c> and <c>kind</c> (empty when absent),
    /// <c>metadata</c>, <c>spec</c> and <c>status</c> (an empty map when absent).
    /// </summary>
    public static CelActivation FromKubernetesObject(JsonObject obj) => new KubernetesObjectActivation(obj);

    public static CelActivation FromValues(IReadOnlyDictionary<string, CelValue> values) => new DictionaryActivation(values);

    /// <summary>Variables bound to JSON values, e.g. <c>self</c> and <c>oldSelf</c> for CRD validation rules.</summary>
    public static CelActivation FromJson(IReadOnlyDictionary<string, JsonNode?> values) =>
        new DictionaryActivation(values.ToDictionary(kv => kv.Key, kv => CelJson.FromNode(kv.Value), StringComparer.Ordinal));

    private sealed class DictionaryActivation(IReadOnlyDictionary<string, CelValue> values) : CelActivation
    {
        public override bool TryResolve(string name, [NotNullWhen(true)] out CelValue? value) => values.TryGetValue(name, out value);
    }

    private sealed class JsonObjectActivation(JsonObject obj) : CelActivation
    {
        public override bool TryResolve(string name, [NotNullWhen(true)] out CelValue? value)
        {
            if (obj.TryGetPropertyValue(name, out var node))
            {
                value = CelJson.FromNode(node);
                return true;
            }

            value = null;
            return false;
        }
    }

    private sealed class KubernetesObjectActivation(JsonObject obj) : CelActivation
    {
        public override bool TryResolve(string name, [NotNullWhen(true)] out CelValue? value)
        {
            switch (name)
            {
                case "apiVersion" or "kind":
                    value = obj.TryGetPropertyValue(name, out var s) && s is not null ? CelJson.FromNode(s) : CelString.Empty;
                    return true;
                case "metadata" or "spec" or "status":
                    value = obj.TryGetPropertyValue(name, out var n) && n is not null ? CelJson.FromNode(n) : CelDictionaryMap.Empty;
                    return true;
                default:
                    value = null;
                    return false;
            }
        }
    }
}
