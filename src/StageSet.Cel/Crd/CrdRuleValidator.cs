using System.Text;
using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Cel.Crd;

/// <summary>
/// CRD <c>x-kubernetes-validations</c> rules for the structural-schema seam: <c>self</c> is the value the rule is
/// attached to, <c>oldSelf</c> its correlated value before an update (transition rules only run when there is one,
/// unless <c>optionalOldSelf</c>), and failures are worded as kube-apiserver words them. Rules compile once per text;
/// one instance per API server. Instances are thread-safe; each evaluator returned by <see cref="For"/> serves one
/// admission (it carries that object's cost budget).
/// </summary>
public sealed class CrdRuleValidator
{
    /// <summary>Kubernetes' limit for one rule evaluation.</summary>
    public const long PerCallCostLimit = 1_000_000;

    /// <summary>Kubernetes' budget for all rules of one object.</summary>
    public const long ObjectCostBudget = 10_000_000;

    private static readonly CelEnvironment Rules = CelEnvironment.Default.WithCostLimit(PerCallCostLimit)
        .WithVariable("self", CelType.Dyn).WithVariable("oldSelf", CelType.Dyn);

    private static readonly CelEnvironment OptionalOldSelfRules = Rules.WithVariable("oldSelf", CelType.Optional(CelType.Dyn));

    private readonly CelProgramCache _rules;
    private readonly CelProgramCache _optionalOldSelfRules;

    public CrdRuleValidator(int cacheCapacity = 4096)
    {
        _rules = new CelProgramCache(Rules, cacheCapacity);
        _optionalOldSelfRules = new CelProgramCache(OptionalOldSelfRules, cacheCapacity);
    }

    /// <summary>The compile error of a rule, worded like the CRD's validation; null when it compiles to a bool.</summary>
    public string? CompileError(ValidationRule rule)
    {
        var compiled = Compile(rule);
        return compiled.Success
            ? compiled.Program!.ResultMayBeBool ? null : "cel expression must evaluate to a bool"
            : "compilation failed: " + compiled.Error;
    }

    /// <summary>
    /// An evaluator for one write of <paramref name="obj"/> (validated against <paramref name="root"/>), an update
    /// when <paramref name="oldObj"/> is given. <paramref name="metadata"/> supplies <c>self.metadata.name</c> and
    /// <c>generateName</c> to rules on the root when the validated object has no metadata of its own.
    /// </summary>
    public StructuralRuleEvaluator For(JsonSchemaProps root, JsonObject obj, JsonObject? oldObj = null, JsonObject? metadata = null)
    {
        // Pairing old and new values walks both objects: only worth it once a transition rule needs oldSelf.
        var correlation = new Lazy<CrdCorrelation>(
            () => oldObj is null ? CrdCorrelation.None : CrdCorrelation.Build(root, obj, oldObj), LazyThreadSafetyMode.None);
        return new Admission(this, correlation, obj, metadata).Evaluate;
    }

    private CelCompilation Compile(ValidationRule rule) =>
        (rule.OptionalOldSelf == true ? _optionalOldSelfRules : _rules).Compile(rule.Rule);

    private CelCompilation CompileMessage(ValidationRule rule) =>
        (rule.OptionalOldSelf == true ? _optionalOldSelfRules : _rules).Compile(rule.MessageExpression!);

    /// <summary>One object's rule evaluations, sharing its cost budget.</summary>
    private sealed class Admission(CrdRuleValidator validator, Lazy<CrdCorrelation> correlation, JsonObject root, JsonObject? metadata)
    {
        private const string CostLimitExceeded = "operation cancelled: actual cost limit exceeded";
        private const string OutOfBudget = "validation failed due to running out of cost budget, no further validation rules will be run";

        private long _remaining = ObjectCostBudget;
        private bool _stopped;

        public IEnumerable<FieldError> Evaluate(string fieldPath, JsonSchemaProps schema, JsonNode? value)
        {
            // Only present, non-null values are validated; presence is for the parent's rules to check.
            if (_stopped || value is null || schema.Validations is not { Count: > 0 } rules)
            {
                return [];
            }

            var type = FieldError.Quote(schema.Type ?? "");
            var errors = new List<FieldError>();
            var self = CelJson.FromNode(ReferenceEquals(value, root) ? WithObjectMeta(root) : value);
            CelValue? oldSelf = null;
            var oldResolved = false;
            foreach (var rule in rules)
            {
                if (string.IsNullOrWhiteSpace(rule.Rule))
                {
                    continue;
                }

                var compiled = validator.Compile(rule);
                if (!compiled.Success)
                {
                    errors.Add(FieldError.Invalid(Field(fieldPath), type, "rule compile error: " + compiled.Error));
                    continue;
                }

                var optional = rule.OptionalOldSelf == true;
                var program = compiled.Program!;
                if (!oldResolved && program.ReferencedVariables!.Contains("oldSelf"))
                {
                    oldResolved = true;
                    var old = correlation.Value.OldOf(value);
                    oldSelf = old is null ? null : CelJson.FromNode(ReferenceEquals(value, root) ? WithObjectMeta((JsonObject)old) : old);
                }

                if (oldSelf is null && !optional && program.ReferencedVariables!.Contains("oldSelf"))
                {
                    continue;
                }

                var activation = Activation(self, oldSelf, optional);
                if (Run(program, activation, out var stopped) is not { } result)
                {
                    errors.Add(FieldError.Invalid(Field(fieldPath), type, stopped == OutOfBudget
                        ? OutOfBudget
                        : $"'{CostLimitExceeded}': no further validation rules will be run due to call cost exceeds limit for rule: {RuleString(rule)}"));
                    return errors;
                }

                switch (result)
                {
                    case CelBool { Value: true }:
                        continue;
                    case CelError e when e.Message.StartsWith("no such overload", StringComparison.Ordinal):
                        errors.Add(FieldError.Invalid(Field(fieldPath), type,
                            $"'{e.Message}': call arguments did not match a supported operator, function or macro signature for rule: {RuleString(rule)}"));
                        continue;
                    case CelError e:
                        errors.Add(FieldError.Invalid(Field(fieldPath), type, $"{e.Message} evaluating rule: {RuleString(rule)}"));
                        continue;
                }

                var path = RuleFieldPath(fieldPath, schema, rule.FieldPath);
                var detail = Message(rule, activation, out var messageFailure);
                if (messageFailure is not null)
                {
                    errors.Add(FieldError.Invalid(Field(path), type, messageFailure));
                    return errors;
                }

                errors.Add(rule.Reason switch
                {
                    "FieldValueForbidden" => FieldError.Forbidden(Field(path), detail),
                    "FieldValueRequired" => FieldError.Required(Field(path), detail),
                    "FieldValueDuplicate" => FieldError.Duplicate(Field(path), type),
                    _ => FieldError.Invalid(Field(path), type, detail),
                });
            }

            return errors;
        }

        /// <summary>Runs under the remaining budget; null (and <paramref name="stopped"/>) when a limit stopped it.</summary>
        private CelValue? Run(CelProgram program, CelActivation activation, out string? stopped)
        {
            stopped = null;
            if (_remaining <= 0)
            {
                _stopped = true;
                stopped = OutOfBudget;
                return null;
            }

            var limit = Math.Min(PerCallCostLimit, _remaining);
            var (value, cost) = program.Evaluate(activation, limit);
            _remaining -= cost;
            if (value is CelError { Message: CostLimitExceeded })
            {
                _stopped = true;
                stopped = limit < PerCallCostLimit ? OutOfBudget : CostLimitExceeded;
                return null;
            }

            return value;
        }

        private string Message(ValidationRule rule, CelActivation activation, out string? failure)
        {
            failure = null;
            if (rule.MessageExpression is { Length: > 0 } source && validator.CompileMessage(rule) is { Success: true } compiled)
            {
                var message = Run(compiled.Program!, activation, out var stopped);
                if (stopped is not null)
                {
                    failure = stopped == OutOfBudget
                        ? "messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run"
                        : "no further validation rules will be run due to call cost exceeds limit for messageExpression: " + FieldError.Quote(source);
                    return "";
                }

                // Any other failure (an error, not a string, empty, multi-line) falls back to the rule's message.
                if (message is CelString { Value: var text } && text.Trim() is { Length: > 0 } trimmed && !trimmed.Contains('\n'))
                {
                    return trimmed;
                }
            }

            return string.IsNullOrEmpty(rule.Message) ? "failed rule: " + RuleString(rule) : rule.Message.Trim();
        }

        private static CelActivation Activation(CelValue self, CelValue? oldSelf, bool optional)
        {
            var values = new Dictionary<string, CelValue>(StringComparer.Ordinal) { ["self"] = self };
            if (optional)
            {
                values["oldSelf"] = oldSelf is null ? CelOptional.None : CelOptional.Of(oldSelf);
            }
            else if (oldSelf is not null)
            {
                values["oldSelf"] = oldSelf;
            }

            return CelActivation.FromValues(values);
        }

        /// <summary>Rules on a resource's root see <c>apiVersion</c>, <c>kind</c> and metadata's name fields.</summary>
        private JsonObject WithObjectMeta(JsonObject obj)
        {
            var meta = obj["metadata"] as JsonObject ?? metadata;
            var copy = new JsonObject();
            foreach (var (key, value) in obj)
            {
                if (key != "metadata")
                {
                    copy[key] = value?.DeepClone();
                }
            }

            if (meta is not null)
            {
                var visible = new JsonObject();
                foreach (var key in new[] { "name", "generateName" })
                {
                    if (meta[key] is { } v)
                    {
                        visible[key] = v.DeepClone();
                    }
                }

                copy["metadata"] = visible;
            }

            return copy;
        }
    }

    private static string RuleString(ValidationRule rule) =>
        string.IsNullOrEmpty(rule.Message) ? rule.Rule.Trim() : rule.Message.Trim();

    private static string Field(string path) => path.Length == 0 ? "<nil>" : path;

    /// <summary>
    /// Appends a rule's relative <c>fieldPath</c> (<c>.a.b</c>, <c>['a.b']</c>): properties as children, map entries
    /// as keys. A path that does not resolve (the CRD's validation rejects those) reports at the rule's own field.
    /// </summary>
    private static string RuleFieldPath(string path, JsonSchemaProps schema, string? relative)
    {
        if (string.IsNullOrEmpty(relative))
        {
            return path;
        }

        var result = path;
        var s = schema;
        var i = 0;
        while (i < relative.Length)
        {
            string name;
            if (relative[i] == '.')
            {
                var end = relative.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? relative.Length : end;
                name = relative[(i + 1)..end];
                i = end;
            }
            else if (relative.AsSpan(i).StartsWith("['") && Quoted(relative, i + 2) is var (quoted, next) && next > 0)
            {
                name = quoted;
                i = next;
            }
            else
            {
                return path;
            }

            if (s.Property(name) is { } property)
            {
                result = result.Length == 0 ? name : result + "." + name;
                s = property;
            }
            else if (s.AdditionalProperties is { } entries)
            {
                result += "[" + name + "]";
                s = entries;
            }
            else
            {
                return path;
            }
        }

        return result;
    }

    /// <summary>A single-quoted name ending in <c>']</c>; returns the index after it, or 0 when malformed.</summary>
    private static (string Name, int Next) Quoted(string text, int start)
    {
        var sb = new StringBuilder();
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                sb.Append(text[++i]);
            }
            else if (text[i] == '\'')
            {
                return i + 1 < text.Length && text[i + 1] == ']' ? (sb.ToString(), i + 2) : ("", 0);
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return ("", 0);
    }
}
