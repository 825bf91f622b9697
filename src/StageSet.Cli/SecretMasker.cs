using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Cli;

/// <summary>
/// Replaces v1 Secret <c>data</c>/<c>stringData</c> values by <c>&lt;-- value not shown (#N)&gt;</c>, N counting distinct
/// values from 1 across the whole invocation, so equal values stay recognisable without being shown.
/// </summary>
internal sealed class SecretMasker
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);

    public void Mask(JsonObject obj)
    {
        if (KubeObject.Kind(obj) != "Secret" || KubeObject.ApiVersion(obj) != "v1")
        {
            return;
        }

        foreach (var field in new[] { "data", "stringData" })
        {
            if (obj[field] is not JsonObject map)
            {
                continue;
            }

            // Sorted like the printed YAML, so numbers appear in reading order.
            foreach (var key in map.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList())
            {
                var value = map[key]?.ToJsonString() ?? "null";
                if (!_numbers.TryGetValue(value, out var n))
                {
                    n = _numbers.Count + 1;
                    _numbers[value] = n;
                }

                map[key] = $"<-- value not shown (#{n})";
            }
        }
    }
}
