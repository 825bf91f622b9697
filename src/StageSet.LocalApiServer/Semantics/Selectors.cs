using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Storage;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>One <c>key op values</c> term of a label or field selector.</summary>
internal sealed record SelectorTerm(string Key, string Op, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> values)
    {
        var has = values.TryGetValue(Key, out var value);
        return Op switch
        {
            "=" or "==" => has && value == Values[0],
            "!=" => !has || value != Values[0],
            "in" => has && Values.Contains(value!),
            "notin" => !has || !Values.Contains(value!),
            "exists" => has,
            "!" => !has,
            _ => false,
        };
    }
}

/// <summary>A parsed <c>labelSelector</c>/<c>fieldSelector</c> pair; empty matches everything.</summary>
internal sealed record ObjectFilter(IReadOnlyList<SelectorTerm> Labels, IReadOnlyList<SelectorTerm> Fields)
{
    public static readonly ObjectFilter Everything = new([], []);

    public bool IsEmpty => Labels.Count == 0 && Fields.Count == 0;

    public bool Matches(ObjectIndex index) =>
        Labels.All(t => t.Matches(index.Labels)) && Fields.All(t => t.Matches(index.Fields));

    /// <summary>The name a <c>metadata.name=x</c> field selector pins (RBAC checks list/watch against it).</summary>
    public string? PinnedName => Fields.FirstOrDefault(f => f.Key == "metadata.name" && f.Op is "=" or "==")?.Values[0];
}

/// <summary>The selectable fields per kind (api-server.md §3.7) and the index stored objects carry for them.</summary>
internal static class FieldIndex
{
    public static ObjectIndex Of(ResourceType rt, JsonObject obj)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (KubeObject.Metadata(obj)?["labels"] is JsonObject l)
        {
            foreach (var (key, value) in l)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    labels[key] = s;
                }
            }
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = KubeObject.Name(obj),
            ["metadata.namespace"] = KubeObject.Namespace(obj),
        };
        foreach (var path in Selectable(rt))
        {
            if (path is "metadata.name" or "metadata.namespace")
            {
                continue;
            }

            fields[path] = Read(obj, path);
        }

        return new ObjectIndex(labels, fields);
    }

    public static IReadOnlyList<string> Selectable(ResourceType rt) => (rt.Group, rt.Kind) switch
    {
        ("", "Pod") => ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ("", "Event") or ("events.k8s.io", "Event") => ["metadata.name", "metadata.namespace", "involvedObject.kind",
            "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
            "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ("", "Secret") => ["metadata.name", "metadata.namespace", "type"],
        ("", "Namespace") => ["metadata.name", "status.phase"],
        ("", "Node") => ["metadata.name", "spec.unschedulable"],
        ("", "PersistentVolumeClaim") => ["metadata.name", "metadata.namespace"],
        ("apps", "ReplicaSet") => ["metadata.name", "metadata.namespace", "status.replicas"],
        ("batch", "Job") => ["metadata.name", "metadata.namespace", "status.successful"],
        _ => ["metadata.name", "metadata.namespace"],
    };

    private static string Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => "",
        };
    }
}

/// <summary>Parses selector query parameters with kube-apiserver's error texts (400 on bad input).</summary>
internal static class SelectorParser
{
    public static IReadOnlyList<SelectorTerm> ParseFields(string? selector, ResourceType rt)
    {
        var terms = new List<SelectorTerm>();
        if (string.IsNullOrWhiteSpace(selector))
        {
            return terms;
        }

        var allowed = FieldIndex.Selectable(rt);
        foreach (var raw in SplitTerms(selector))
        {
            var part = raw.Trim();
            string op;
            int at;
            if ((at = part.IndexOf("!=", StringComparison.Ordinal)) >= 0)
            {
                op = "!=";
            }
            else if ((at = part.IndexOf("==", StringComparison.Ordinal)) >= 0)
            {
                op = "==";
            }
            else if ((at = part.IndexOf('=', StringComparison.Ordinal)) >= 0)
            {
                op = "=";
            }
            else
            {
                throw new SelectorException($"invalid selector: '{selector}'; can't understand '{part}'");
            }

            var key = part[..at].Trim();
            var value = part[(at + op.Length)..].Trim();
            if (!allowed.Contains(key))
            {
                throw new SelectorException(rt.IsCustom
                    ? $"\"{key}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
                    : $"field label not supported: {key}");
            }

            terms.Add(new SelectorTerm(key, op, [value]));
        }

        return terms;
    }

    public static IReadOnlyList<SelectorTerm> ParseLabels(string? selector)
    {
        var terms = new List<SelectorTerm>();
        if (string.IsNullOrWhiteSpace(selector))
        {
            return terms;
        }

        foreach (var raw in SplitTerms(selector))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                throw new SelectorException($"found '', expected: !, identifier, or 'end of string'");
            }

            terms.Add(ParseLabelTerm(part));
        }

        return terms;
    }

    private static SelectorTerm ParseLabelTerm(string part)
    {
        if (part.StartsWith('!'))
        {
            return new SelectorTerm(Key(part[1..].Trim()), "!", []);
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at >= 0)
            {
                return new SelectorTerm(Key(part[..at].Trim()), op, [Value(part[(at + op.Length)..].Trim())]);
            }
        }

        var words = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2)
        {
            var rest = words[1];
            foreach (var op in new[] { "notin", "in" })
            {
                if (rest.StartsWith(op, StringComparison.Ordinal))
                {
                    var set = rest[op.Length..].Trim();
                    if (!set.StartsWith('(') || !set.EndsWith(')'))
                    {
                        throw new SelectorException($"found '{set}', expected: '('");
                    }

                    var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries).Where(v => v.Length > 0).Select(Value).ToList();
                    return new SelectorTerm(Key(words[0]), op, values);
                }
            }

            throw new SelectorException($"found '{rest}', expected: in, notin, =, ==, !=, gt, lt");
        }

        return new SelectorTerm(Key(part), "exists", []);
    }

    private static string Key(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw new SelectorException($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static string Value(string value)
    {
        if (value.Length > 63 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new SelectorException($"unable to parse requirement: invalid label value: \"{value}\"");
        }

        return value;
    }

    /// <summary>Splits on commas outside parentheses.</summary>
    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    terms.Add(selector[start..i]);
                    start = i + 1;
                    break;
            }
        }

        terms.Add(selector[start..]);
        return terms;
    }
}

internal sealed class SelectorException(string message) : Exception(message);
