namespace StageSet.Api.Crd;

// Attributes that carry the OpenAPI facts of the API types. The CRD builder reads them to generate
// config/crd/*.yaml, and the JSON layer reads [Required] to emit required fields even when empty.

/// <summary>The field must be present (CRD <c>required</c>); it is serialised even when empty, like a Go field without <c>omitempty</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>The schema description of a type or field, in our own words.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>The allowed values of a string field (CRD <c>enum</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>A CRD <c>default:</c>, given as a JSON literal (<c>"\"Fail\""</c>, <c>"true"</c>, <c>"{}"</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>A regular expression a string must match (CRD <c>pattern</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}

/// <summary>The least allowed number (CRD <c>minimum</c>); on a list property it applies to the items.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>The greatest allowed number (CRD <c>maximum</c>); on a list property it applies to the items.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(long value) : Attribute
{
    public long Value { get; } = value;
}

/// <summary>A list's minimum number of items (CRD <c>minItems</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinItemsAttribute(long count) : Attribute
{
    public long Count { get; } = count;
}

/// <summary>A string's bounds in characters (CRD <c>minLength</c>/<c>maxLength</c>; -1 leaves a bound out).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute(long minimum, long maximum) : Attribute
{
    public long Minimum { get; } = minimum;

    public long Maximum { get; } = maximum;
}

/// <summary>A CEL rule (CRD <c>x-kubernetes-validations</c>) on a type or field.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ValidationRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;
}

/// <summary>The object's fields are replaced as a whole by server-side apply (<c>x-kubernetes-map-type: atomic</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AtomicAttribute : Attribute;
