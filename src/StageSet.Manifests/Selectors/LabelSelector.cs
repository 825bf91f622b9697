using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Selectors;

/// <summary>A label selector that cannot be parsed or built; the message is apimachinery's wording.</summary>
public sealed class LabelSelectorException(string message) : FormatException(message);

/// <summary>
/// A Kubernetes label selector (apimachinery <c>labels.Selector</c>): the string form of <c>?labelSelector=</c>,
/// <c>kubectl -l</c> and kustomize patch targets, or a <c>metav1.LabelSelector</c> object. Requirements are ANDed
/// and kept sorted by key.
/// </summary>
public sealed class LabelSelector
{
    private readonly bool _nothing;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool nothing = false)
    {
        Requirements = requirements;
        _nothing = nothing;
    }

    /// <summary>Matches every object (the empty selector).</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>Matches no object (what a missing <c>metav1.LabelSelector</c> means).</summary>
    public static LabelSelector Nothing { get; } = new([], nothing: true);

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True when the selector does not restrict anything.</summary>
    public bool IsEmpty => !_nothing && Requirements.Count == 0;

    /// <summary>Parses the selector syntax (<c>a=b,c!=d,e in (f,g),!h,i,j notin (k)</c>, also <c>==</c>, <c>&gt;</c>, <c>&lt;</c>).</summary>
    /// <exception cref="LabelSelectorException">Bad syntax, key or value, worded as kube-apiserver words it.</exception>
    public static LabelSelector Parse(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new LabelSelector(Sorted(new SelectorParser(selector).Parse()));
    }

    /// <summary>
    /// <c>metav1.LabelSelectorAsSelector</c>: null means nothing, <c>{}</c> everything; matchLabels become
    /// equality requirements, matchExpressions use In/NotIn/Exists/DoesNotExist.
    /// </summary>
    /// <exception cref="LabelSelectorException">An unknown operator, a bad key or value, or values that do not fit the operator.</exception>
    public static LabelSelector FromJson(JsonNode? selector)
    {
        if (selector is null || selector.GetValueKind() == JsonValueKind.Null)
        {
            return Nothing;
        }

        if (selector is not JsonObject obj)
        {
            throw new LabelSelectorException("a label selector must be an object");
        }

        var requirements = new List<LabelRequirement>();
        if (obj["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                requirements.Add(Requirement(key, SelectorOperator.Equals, [Text(value)]));
            }
        }

        if (obj["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions)
            {
                var key = Text(expression?["key"]);
                var op = Text(expression?["operator"]);
                var values = expression?["values"] is JsonArray v ? v.Select(Text).ToList() : [];
                var parsed = op switch
                {
                    "In" => SelectorOperator.In,
                    "NotIn" => SelectorOperator.NotIn,
                    "Exists" => SelectorOperator.Exists,
                    "DoesNotExist" => SelectorOperator.DoesNotExist,
                    _ => throw new LabelSelectorException($"{FieldError.Quote(op)} is not a valid label selector operator"),
                };
                requirements.Add(Requirement(key, parsed, values));
            }
        }

        return requirements.Count == 0 ? Everything : new LabelSelector(Sorted(requirements));
    }

    /// <summary>A selector requiring exactly these labels (<c>labels.SelectorFromSet</c>).</summary>
    public static LabelSelector FromLabels(IReadOnlyDictionary<string, string> labels) =>
        labels.Count == 0 ? Everything : new LabelSelector(Sorted(labels.Select(l => Requirement(l.Key, SelectorOperator.Equals, [l.Value]))));

    public bool Matches(IReadOnlyDictionary<string, string> labels) => !_nothing && Requirements.All(r => r.Matches(labels));

    /// <summary>Matches the object's <c>metadata.labels</c>.</summary>
    public bool Matches(JsonObject obj) => Matches(Labels(obj, "labels"));

    /// <summary>The string labels of <c>metadata.&lt;field&gt;</c> (labels or annotations); non-strings are ignored.</summary>
    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj, string field = "labels")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (KubeObject.Metadata(obj)?[field] is JsonObject map)
        {
            foreach (var (key, value) in map)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    result[key] = s;
                }
            }
        }

        return result;
    }

    /// <summary>The canonical string form (requirements sorted by key, comma-separated).</summary>
    public override string ToString() => string.Join(",", Requirements);

    /// <summary><c>labels.NewRequirement</c> with its validation and aggregated error text.</summary>
    internal static LabelRequirement Requirement(string key, SelectorOperator op, IReadOnlyList<string> values)
    {
        var errors = new List<FieldError>();
        if (KubeNames.QualifiedNameErrors(key) is { Count: > 0 } keyErrors)
        {
            errors.Add(FieldError.Invalid("key", FieldError.Quote(key), string.Join("; ", keyErrors)));
        }

        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn when values.Count == 0:
                errors.Add(FieldError.Invalid("values", GoStrings(values), "for 'in', 'notin' operators, values set can't be empty"));
                break;
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.NotEquals when values.Count != 1:
                errors.Add(FieldError.Invalid("values", GoStrings(values), "exact-match compatibility requires one single value"));
                break;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist when values.Count != 0:
                errors.Add(FieldError.Invalid("values", GoStrings(values), "values set must be empty for exists and does not exist"));
                break;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                if (values.Count != 1)
                {
                    errors.Add(FieldError.Invalid("values", GoStrings(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
                }

                for (var i = 0; i < values.Count; i++)
                {
                    if (!long.TryParse(values[i], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        errors.Add(FieldError.Invalid($"values[{i}]", FieldError.Quote(values[i]), "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }

                break;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (KubeNames.LabelValueErrors(values[i]) is { Count: > 0 } valueErrors)
            {
                errors.Add(FieldError.Invalid($"values[{i}][{key}]", FieldError.Quote(values[i]), string.Join("; ", valueErrors)));
            }
        }

        return errors.Count switch
        {
            0 => new LabelRequirement(key, op, values),
            1 => throw new LabelSelectorException(errors[0].ToString()),
            _ => throw new LabelSelectorException("[" + string.Join(", ", errors) + "]"),
        };
    }

    private static List<LabelRequirement> Sorted(IEnumerable<LabelRequirement> requirements) =>
        requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();

    // Go's %#v of a []string.
    private static string GoStrings(IReadOnlyList<string> values) => "[]string{" + string.Join(", ", values.Select(FieldError.Quote)) + "}";

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "";
}
