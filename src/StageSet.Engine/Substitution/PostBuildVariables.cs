using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace StageSet.Engine.Substitution;

/// <summary>A <c>postBuild.substituteFrom</c> entry.</summary>
public sealed record SubstituteReference(string Kind, string Name, bool Optional = false);

/// <summary>A stage's <c>postBuild</c> block.</summary>
public sealed record PostBuildSpec
{
    public IReadOnlyDictionary<string, string> Substitute { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<SubstituteReference> SubstituteFrom { get; init; } = [];
}

/// <summary>Reads ConfigMaps and Secrets for substitution; the controller backs it with the cluster.</summary>
public interface IVariableSourceReader
{
    /// <summary>The ConfigMap or Secret, or null when it does not exist. Other failures throw.</summary>
    Task<JsonObject?> GetAsync(string kind, string @namespace, string name, CancellationToken ct);
}

/// <summary>
/// §5.1: the variable map of a stage. <c>substituteFrom</c> entries in order (later keys win), then inline
/// <c>substitute</c> over everything. Newlines are removed from every value, as Flux does, so a value read from a
/// file-backed ConfigMap cannot break the YAML it lands in.
/// </summary>
public static class PostBuildVariables
{
    public static async Task<IReadOnlyDictionary<string, string>> ResolveAsync(PostBuildSpec? spec,
        IVariableSourceReader reader, string @namespace, CancellationToken ct)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec is null)
        {
            return vars;
        }

        foreach (var reference in spec.SubstituteFrom)
        {
            var obj = await reader.GetAsync(reference.Kind, @namespace, reference.Name, ct).ConfigureAwait(false);
            if (obj is null)
            {
                if (reference.Optional)
                {
                    continue;
                }

                throw new VariableResolutionException(
                    $"substituteFrom {reference.Kind} {@namespace}/{reference.Name} not found");
            }

            if (obj["data"] is not JsonObject data)
            {
                continue;
            }

            foreach (var (key, node) in data)
            {
                var raw = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
                vars[key] = Clean(reference.Kind == "Secret" ? DecodeSecret(raw, reference, key) : raw);
            }
        }

        foreach (var (key, value) in spec.Substitute)
        {
            vars[key] = Clean(value);
        }

        return vars;
    }

    /// <summary>
    /// <c>substitutionDigest</c> (stageset-api.md §14.2): sha256 hex over sorted
    /// <c>&lt;len(k)&gt;:&lt;k&gt;=&lt;len(v)&gt;:&lt;v&gt;\n</c> lines; empty when there are no variables.
    /// </summary>
    public static string Digest(IReadOnlyDictionary<string, string> vars)
    {
        if (vars.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var (k, v) in vars.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(Encoding.UTF8.GetByteCount(k)).Append(':').Append(k).Append('=')
                .Append(Encoding.UTF8.GetByteCount(v)).Append(':').Append(v).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static string Clean(string value) => value.Replace("\n", "", StringComparison.Ordinal);

    private static string DecodeSecret(string raw, SubstituteReference reference, string key)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(raw));
        }
        catch (FormatException)
        {
            throw new VariableResolutionException(
                $"substituteFrom Secret {reference.Name}: data key \"{key}\" is not valid base64");
        }
    }
}

/// <summary>A failure of <c>resolve postBuild variables</c>.</summary>
public sealed class VariableResolutionException(string message) : Exception(message);
