using System.Globalization;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Schema;

/// <summary>
/// The seam for <c>x-kubernetes-validations</c> (CEL): called for every present value whose schema node carries
/// rules, with the node's field path; returns that node's violations (none when every rule holds).
/// </summary>
public delegate IEnumerable<FieldError> StructuralRuleEvaluator(string fieldPath, JsonSchemaProps schema, JsonNode? value);

/// <summary>
/// Validates a (pruned, defaulted) value against a structural schema with kube-apiserver's semantics and wording:
/// OpenAPI value validation (type, enum, bounds, lengths, pattern, formats, required, junctors), then embedded
/// resources, then <c>x-kubernetes-list-type</c> set/map uniqueness, then the optional CEL rules.
/// </summary>
public static class StructuralValidation
{
    /// <param name="rootPath">Path of <paramref name="value"/>; empty for a whole object.</param>
    public static IReadOnlyList<FieldError> Validate(JsonNode? value, JsonSchemaProps schema, string rootPath = "", StructuralRuleEvaluator? rules = null)
    {
        var errors = OpenApi(value, schema, rootPath);
        Walk(value, schema, rootPath, errors, rules, isRoot: true);
        return errors;
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Index(string path, int i) => path + "[" + i + "]";

    // ---- OpenAPI value validation (the kube-openapi validator as kube-apiserver reports it) ----

    private static List<FieldError> OpenApi(JsonNode? data, JsonSchemaProps s, string path)
    {
        var errors = new List<FieldError>();
        IReadOnlyList<string> types = s.IntOrString
            ? [StructuralValues.Integer, StructuralValues.String]
            : string.IsNullOrEmpty(s.Type) ? [] : [s.Type];
        if (data is null)
        {
            if (types.Count > 0 && !s.Nullable)
            {
                errors.Add(TypeError(path, types, StructuralValues.Null));
            }

            Enum(data, s, path, errors);
            return errors;
        }

        var actual = StructuralValues.TypeOf(data);
        TypeCheck(data, actual, types, s, path, errors);
        Junctors(data, s, path, errors);
        switch (data)
        {
            case JsonValue v when actual == StructuralValues.String:
                StringChecks(v.GetValue<string>(), s, path, errors);
                break;
            case JsonValue v when actual is StructuralValues.Integer or StructuralValues.Number:
                NumberChecks(v, s, path, errors);
                break;
            case JsonArray arr:
                ArrayChecks(arr, s, path, errors);
                break;
        }

        Enum(data, s, path, errors);
        if (data is JsonObject obj)
        {
            ObjectChecks(obj, s, path, errors);
        }

        return errors;
    }

    private static FieldError TypeError(string path, IReadOnlyList<string> types, string actual) =>
        new(FieldErrorType.TypeInvalid, path, FieldError.Quote(actual),
            $"{path} in body must be of type {string.Join(",", types)}: {FieldError.Quote(actual)}");

    private static void TypeCheck(JsonNode data, string actual, IReadOnlyList<string> types, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        if (types.Count == 0)
        {
            return;
        }

        // A string or list under a non-numeric formatted type is left to the format check, as in kube-openapi.
        if (!string.IsNullOrEmpty(s.Format) && !types.Contains(StructuralValues.Number) && !types.Contains(StructuralValues.Integer) &&
            actual is StructuralValues.String or StructuralValues.Array)
        {
            return;
        }

        var floatIsInt = actual == StructuralValues.Number && types.Contains(StructuralValues.Integer) && IsJsonInteger(StructuralValues.ToDouble((JsonValue)data));
        var intIsFloat = actual == StructuralValues.Integer && types.Contains(StructuralValues.Number);
        if (!types.Contains(actual) && !floatIsInt && !intIsFloat)
        {
            errors.Add(TypeError(path, types, actual));
        }
    }

    private static bool IsJsonInteger(double d) => d == Math.Truncate(d) && Math.Abs(d) <= 9007199254740992d;

    private static void Junctors(JsonNode data, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        var quoted = FieldError.Quote(path);
        if (s.AnyOf is { Count: > 0 } anyOf)
        {
            List<FieldError>? best = null;
            var succeeded = false;
            foreach (var branch in anyOf)
            {
                var result = OpenApi(data, branch, path);
                if (result.Count == 0)
                {
                    succeeded = true;
                    break;
                }

                best ??= result;
            }

            if (!succeeded)
            {
                errors.Add(Composite(quoted + " must validate at least one schema (anyOf)"));
                errors.AddRange(best!);
            }
        }

        if (s.OneOf is { Count: > 0 } oneOf)
        {
            List<FieldError>? best = null;
            var valid = 0;
            foreach (var branch in oneOf)
            {
                var result = OpenApi(data, branch, path);
                if (result.Count == 0)
                {
                    valid++;
                }
                else if (valid == 0)
                {
                    best ??= result;
                }
            }

            if (valid != 1)
            {
                errors.Add(Composite(quoted + " must validate one and only one schema (oneOf). " +
                    (valid == 0 ? "Found none valid" : $"Found {valid} valid alternatives")));
                if (valid == 0 && best is not null)
                {
                    errors.AddRange(best);
                }
            }
        }

        if (s.AllOf is { Count: > 0 } allOf)
        {
            var valid = 0;
            foreach (var branch in allOf)
            {
                var result = OpenApi(data, branch, path);
                if (result.Count == 0)
                {
                    valid++;
                }

                errors.AddRange(result);
            }

            if (valid != allOf.Count)
            {
                errors.Add(Composite(quoted + " must validate all the schemas (allOf)" + (valid == 0 ? ". None validated" : "")));
            }
        }

        if (s.Not is { } not && OpenApi(data, not, path).Count == 0)
        {
            errors.Add(Composite(quoted + " must not validate the schema (not)"));
        }
    }

    /// <summary>Junctor failures are not field errors in kube-openapi, so kube-apiserver reports them pathless.</summary>
    private static FieldError Composite(string detail) => FieldError.Invalid("<nil>", FieldError.Quote(""), detail);

    private static void StringChecks(string value, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        var quoted = FieldError.Quote(value);
        if (s.MaxLength is { } max && RuneCount(value) > max)
        {
            errors.Add(FieldError.TooLong(path, max));
        }

        if (s.MinLength is { } min && RuneCount(value) < min)
        {
            errors.Add(FieldError.Invalid(path, quoted, $"{path} in body should be at least {min} chars long"));
        }

        if (!string.IsNullOrEmpty(s.Pattern))
        {
            switch (StructuralPatterns.IsMatch(s.Pattern, value))
            {
                case null:
                    errors.Add(FieldError.Invalid(path, quoted,
                        $"{path} in body should match '{s.Pattern}, but pattern is invalid: {StructuralPatterns.Error(s.Pattern)}'"));
                    break;
                case false:
                    errors.Add(FieldError.Invalid(path, quoted, $"{path} in body should match '{s.Pattern}'"));
                    break;
            }
        }

        if (s.Format is { Length: > 0 } format && StructuralFormats.IsKnown(format) && !StructuralFormats.IsValid(format, value))
        {
            errors.Add(new FieldError(FieldErrorType.TypeInvalid, path, quoted, $"{path} in body must be of type {format}: {quoted}"));
        }
    }

    private static int RuneCount(string value) => value.EnumerateRunes().Count();

    private static void NumberChecks(JsonValue v, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        var value = StructuralValues.ToDouble(v);
        var bad = StructuralValues.GoNumber(v);
        if (s.MultipleOf is { } factor)
        {
            if (factor <= 0)
            {
                errors.Add(FieldError.Invalid(path, StructuralValues.GoFloat(factor), $"factor MultipleOf declared for {path} must be positive: {StructuralValues.GoFloat(factor)}"));
            }
            else if (Math.Abs(Math.IEEERemainder(value, factor)) > 1e-9 * Math.Max(1, Math.Abs(value)))
            {
                errors.Add(FieldError.Invalid(path, bad, $"{path} in body should be a multiple of {StructuralValues.GoFloat(factor)}"));
            }
        }

        if (s.Maximum is { } max && (s.ExclusiveMaximum ? value >= max : value > max))
        {
            errors.Add(FieldError.Invalid(path, bad,
                $"{path} in body should be less than {(s.ExclusiveMaximum ? "" : "or equal to ")}{StructuralValues.GoFloat(max)}"));
        }

        if (s.Minimum is { } min && (s.ExclusiveMinimum ? value <= min : value < min))
        {
            errors.Add(FieldError.Invalid(path, bad,
                $"{path} in body should be greater than {(s.ExclusiveMinimum ? "" : "or equal to ")}{StructuralValues.GoFloat(min)}"));
        }
    }

    private static void ArrayChecks(JsonArray arr, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        if (s.Items is { } items)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                errors.AddRange(OpenApi(arr[i], items, Index(path, i)));
            }
        }

        if (s.MinItems is { } min && arr.Count < min)
        {
            errors.Add(FieldError.Invalid(path, arr.Count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {min} items"));
        }

        if (s.MaxItems is { } max && arr.Count > max)
        {
            errors.Add(FieldError.TooMany(path, arr.Count, max));
        }
    }

    private static void Enum(JsonNode? data, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        if (s.Enum is not { Count: > 0 } values || values.Any(v => StructuralValues.Equal(v, data)))
        {
            return;
        }

        var supported = values.Select(v => StructuralValues.AsString(v) ?? (v is null ? "null" : v.ToJsonString()));
        errors.Add(FieldError.NotSupported(path, StructuralValues.BadValue(data), supported));
    }

    private static void ObjectChecks(JsonObject obj, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        // Property-count failures end the object's validation, as in kube-openapi.
        if (s.MinProperties is { } min && obj.Count < min)
        {
            errors.Add(FieldError.Invalid(path, min.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {min} properties"));
            return;
        }

        if (s.MaxProperties is { } max && obj.Count > max)
        {
            errors.Add(FieldError.TooMany(path, obj.Count, max));
            return;
        }

        foreach (var (key, value) in obj)
        {
            if (s.Property(key) is not null)
            {
                continue;
            }

            if (s.AdditionalPropertiesAllowed == false)
            {
                errors.Add(FieldError.Invalid(path, FieldError.Quote(key), $"{Child(path, key)} in body is a forbidden property"));
            }
            else if (s.AdditionalProperties is { } additional)
            {
                errors.AddRange(OpenApi(value, additional, Child(path, key)));
            }
        }

        foreach (var name in s.Required ?? [])
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add(FieldError.Required(Child(path, name)));
            }
        }

        foreach (var (name, prop) in s.Properties ?? [])
        {
            if (obj.TryGetPropertyValue(name, out var value))
            {
                errors.AddRange(OpenApi(value, prop, Child(path, name)));
            }
        }
    }

    // ---- Embedded resources, list-type set/map uniqueness and CEL rules, over the structural part only ----

    private static void Walk(JsonNode? data, JsonSchemaProps s, string path, List<FieldError> errors, StructuralRuleEvaluator? rules, bool isRoot)
    {
        if (data is null)
        {
            return;
        }

        if (s.EmbeddedResource && !isRoot && data is JsonObject embedded)
        {
            EmbeddedResource(embedded, path, errors);
        }

        switch (data)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var prop = s.Property(key) ?? s.AdditionalProperties;
                    if (prop is not null)
                    {
                        Walk(value, prop, Child(path, key), errors, rules, isRoot: false);
                    }
                }

                break;
            case JsonArray arr:
                ListUniqueness(arr, s, path, errors);
                if (s.Items is { } items)
                {
                    for (var i = 0; i < arr.Count; i++)
                    {
                        Walk(arr[i], items, Index(path, i), errors, rules, isRoot: false);
                    }
                }

                break;
        }

        if (rules is not null && s.Validations is { Count: > 0 })
        {
            errors.AddRange(rules(path, s, data));
        }
    }

    private static void EmbeddedResource(JsonObject obj, string path, List<FieldError> errors)
    {
        foreach (var key in new[] { "apiVersion", "kind" })
        {
            if (!obj.TryGetPropertyValue(key, out var value))
            {
                errors.Add(FieldError.Required(Child(path, key), "must not be empty"));
            }
            else if (StructuralValues.AsString(value) is not { } text)
            {
                errors.Add(FieldError.Invalid(Child(path, key), StructuralValues.BadValue(value), "must be a string"));
            }
            else if (text.Length == 0)
            {
                errors.Add(FieldError.Invalid(Child(path, key), FieldError.Quote(text), "must not be empty"));
            }
        }
    }

    private static void ListUniqueness(JsonArray arr, JsonSchemaProps s, string path, List<FieldError> errors)
    {
        if (s.ListType == "set")
        {
            for (var i = 1; i < arr.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (StructuralValues.Equal(arr[i], arr[j]))
                    {
                        errors.Add(FieldError.Duplicate(Index(path, i), StructuralValues.BadValue(arr[i])));
                        break;
                    }
                }
            }
        }
        else if (s.ListType == "map" && s.ListMapKeys is { Count: > 0 } keys)
        {
            ListMapUniqueness(arr, s, keys, path, errors);
        }
    }

    private static void ListMapUniqueness(JsonArray arr, JsonSchemaProps s, IReadOnlyList<string> keys, string path, List<FieldError> errors)
    {
        for (var i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not null and not JsonObject)
            {
                errors.Add(FieldError.Invalid(Index(path, i), StructuralValues.BadValue(arr[i]), "must be an object for an array of list-type map"));
                return;
            }
        }

        var seen = new List<JsonObject>();
        for (var i = 0; i < arr.Count; i++)
        {
            var key = new JsonObject();
            foreach (var name in keys)
            {
                // A missing key takes its default, as the server compares defaulted items.
                if (arr[i] is JsonObject item && item.TryGetPropertyValue(name, out var v))
                {
                    key[name] = v?.DeepClone();
                }
                else if (s.Items?.Property(name)?.Default is { } d)
                {
                    key[name] = d.DeepClone();
                }
            }

            if (seen.Any(k => StructuralValues.Equal(k, key)))
            {
                errors.Add(FieldError.Duplicate(Index(path, i), StructuralValues.GoSyntax(key)));
            }
            else
            {
                seen.Add(key);
            }
        }
    }
}
