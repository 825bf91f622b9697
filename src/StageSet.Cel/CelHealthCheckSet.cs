using System.Text.Json.Nodes;

namespace StageSet.Cel;

/// <summary>One configured health check: which kinds it judges (an empty kind means every kind of the group).</summary>
public sealed record CelHealthCheckEntry(string ApiVersion, string Kind, CelHealthCheckExpressions Expressions);

/// <summary>
/// Health checks selected by group and kind, as Flux's CEL status reader selects them: the version is ignored, an
/// entry without a kind covers its whole group, and an entry for a specific kind takes precedence over it.
/// </summary>
public sealed class CelHealthCheckSet
{
    private readonly Dictionary<(string Group, string Kind), CelHealthCheck> _byKind;
    private readonly Dictionary<string, CelHealthCheck> _byGroup;

    private CelHealthCheckSet(Dictionary<(string, string), CelHealthCheck> byKind, Dictionary<string, CelHealthCheck> byGroup)
    {
        _byKind = byKind;
        _byGroup = byGroup;
    }

    /// <summary>Builds the set with <paramref name="factory"/> (e.g. <see cref="CelHealthCheck.ForFlux"/>);
    /// throws <see cref="CelExpressionException"/> for duplicates and expressions that do not compile.</summary>
    public static CelHealthCheckSet Create(IReadOnlyList<CelHealthCheckEntry> entries, Func<CelHealthCheckExpressions, CelHealthCheck> factory)
    {
        var byKind = new Dictionary<(string, string), CelHealthCheck>();
        var byGroup = new Dictionary<string, CelHealthCheck>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var group = GroupOf(entry.ApiVersion);
            var duplicate = entry.Kind.Length == 0 ? byGroup.ContainsKey(group) : byKind.ContainsKey((group, entry.Kind));
            if (duplicate)
            {
                throw new CelExpressionException($"duplicate custom health check for GroupKind {Display(group, entry.Kind)} in healthchecks[{i}]");
            }

            CelHealthCheck check;
            try
            {
                check = factory(entry.Expressions);
            }
            catch (CelExpressionException e)
            {
                throw new CelExpressionException($"failed to create custom status evaluator for healthchecks[{i}]: {e.Message}");
            }

            if (entry.Kind.Length == 0)
            {
                byGroup[group] = check;
            }
            else
            {
                byKind[(group, entry.Kind)] = check;
            }
        }

        return new CelHealthCheckSet(byKind, byGroup);
    }

    public bool Supports(string group, string kind) => Find(group, kind) is not null;

    /// <summary>The check for <paramref name="obj"/>'s group and kind, evaluated; an error when none applies.</summary>
    public CelHealthResult Evaluate(JsonObject obj, CancellationToken cancellation = default)
    {
        var apiVersion = obj["apiVersion"] is JsonValue a && a.TryGetValue<string>(out var av) ? av : "";
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var kv) ? kv : "";
        var group = GroupOf(apiVersion);
        return Find(group, kind) is { } check
            ? check.Evaluate(obj, cancellation)
            : new CelHealthResult(null, $"the GroupKind {Display(group, kind)} is not supported");
    }

    private CelHealthCheck? Find(string group, string kind) =>
        _byKind.GetValueOrDefault((group, kind)) ?? _byGroup.GetValueOrDefault(group);

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? "" : apiVersion[..slash];
    }

    private static string Display(string group, string kind) => group.Length == 0 ? kind : kind + "." + group;
}
