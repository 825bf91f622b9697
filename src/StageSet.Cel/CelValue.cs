using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StageSet.Cel;

/// <summary>
/// A CEL runtime value. Values are immutable; equality follows CEL (<see cref="CelEquals"/>): numbers compare across
/// int, uint and double, aggregates compare element-wise, values of different types are simply unequal.
/// </summary>
public abstract class CelValue
{
    private protected CelValue()
    {
    }

    /// <summary>The runtime type, as <c>type(x)</c> reports it (parameters erased).</summary>
    public abstract CelType Type { get; }

    /// <summary>True for error values, which propagate through strict functions.</summary>
    public bool IsError => this is CelError;

    /// <summary>True for error and unknown values: the two that strict functions pass straight through.</summary>
    public bool IsErrorOrUnknown => this is CelError or CelUnknown;

    /// <summary>CEL <c>==</c>: never fails; values of unrelated types are unequal.</summary>
    public abstract bool CelEquals(CelValue other);

    /// <summary>The JSON form of the value (maps with non-string keys use the key's string form).</summary>
    public abstract JsonNode? ToJson();

    /// <summary>A readable rendering for messages and test output (CEL literal-like).</summary>
    public override string ToString() => Render(this);

    internal static string Render(CelValue value)
    {
        var sb = new StringBuilder();
        value.AppendTo(sb);
        return sb.ToString();
    }

    internal abstract void AppendTo(StringBuilder sb);
}

public sealed class CelNull : CelValue
{
    private CelNull()
    {
    }

    public static CelNull Instance { get; } = new();

    public override CelType Type => CelType.Null;

    public override bool CelEquals(CelValue other) => other is CelNull;

    public override JsonNode? ToJson() => null;

    internal override void AppendTo(StringBuilder sb) => sb.Append("null");
}

public sealed class CelBool : CelValue
{
    private CelBool(bool value) => Value = value;

    public static CelBool True { get; } = new(true);

    public static CelBool False { get; } = new(false);

    public bool Value { get; }

    public override CelType Type => CelType.Bool;

    public static CelBool Of(bool value) => value ? True : False;

    public override bool CelEquals(CelValue other) => other is CelBool b && b.Value == Value;

    public override JsonNode? ToJson() => JsonValue.Create(Value);

    internal override void AppendTo(StringBuilder sb) => sb.Append(Value ? "true" : "false");
}

public sealed class CelInt : CelValue
{
    private static readonly CelInt[] Small = [.. Enumerable.Range(-128, 1152).Select(i => new CelInt(i))];

    private CelInt(long value) => Value = value;

    public long Value { get; }

    public override CelType Type => CelType.Int;

    public static CelInt Of(long value) => value is >= -128 and < 1024 ? Small[value + 128] : new CelInt(value);

    public override bool CelEquals(CelValue other) => other switch
    {
        CelInt i => i.Value == Value,
        CelUint u => Value >= 0 && (ulong)Value == u.Value,
        CelDouble d => Numeric.Compare(Value, d.Value) == 0,
        _ => false,
    };

    public override JsonNode? ToJson() => JsonValue.Create(Value);

    internal override void AppendTo(StringBuilder sb) => sb.Append(Value.ToString(CultureInfo.InvariantCulture));
}

public sealed class CelUint : CelValue
{
    public CelUint(ulong value) => Value = value;

    public ulong Value { get; }

    public override CelType Type => CelType.Uint;

    public override bool CelEquals(CelValue other) => other switch
    {
        CelUint u => u.Value == Value,
        CelInt i => i.Value >= 0 && (ulong)i.Value == Value,
        CelDouble d => Numeric.Compare(Value, d.Value) == 0,
        _ => false,
    };

    public override JsonNode? ToJson() => JsonValue.Create(Value);

    internal override void AppendTo(StringBuilder sb) => sb.Append(Value.ToString(CultureInfo.InvariantCulture)).Append('u');
}

public sealed class CelDouble : CelValue
{
    public CelDouble(double value) => Value = value;

    public double Value { get; }

    public override CelType Type => CelType.Double;

    public override bool CelEquals(CelValue other) => other switch
    {
        CelDouble d => d.Value == Value,
        CelInt i => Numeric.Compare(i.Value, Value) == 0,
        CelUint u => Numeric.Compare(u.Value, Value) == 0,
        _ => false,
    };

    public override JsonNode? ToJson() => double.IsFinite(Value) ? JsonValue.Create(Value) : JsonValue.Create(Numeric.FormatDouble(Value));

    internal override void AppendTo(StringBuilder sb) => sb.Append(Numeric.FormatDouble(Value));
}

public sealed class CelString : CelValue
{
    public CelString(string value) => Value = value;

    public static CelString Empty { get; } = new("");

    public string Value { get; }

    public override CelType Type => CelType.String;

    public override bool CelEquals(CelValue other) => other is CelString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    public override JsonNode? ToJson() => JsonValue.Create(Value);

    internal override void AppendTo(StringBuilder sb) => Quoting.AppendQuoted(sb, Value);
}

public sealed class CelBytes : CelValue
{
    private readonly byte[] _value;

    public CelBytes(ReadOnlySpan<byte> value) => _value = value.ToArray();

    private CelBytes(byte[] owned, bool _) => _value = owned;

    public ReadOnlySpan<byte> Value => _value;

    public int Length => _value.Length;

    public override CelType Type => CelType.Bytes;

    /// <summary>Wraps an array the caller promises never to change again.</summary>
    internal static CelBytes Own(byte[] bytes) => new(bytes, true);

    public override bool CelEquals(CelValue other) => other is CelBytes b && b.Value.SequenceEqual(Value);

    public override JsonNode? ToJson() => JsonValue.Create(Convert.ToBase64String(_value));

    internal override void AppendTo(StringBuilder sb)
    {
        sb.Append("b\"");
        foreach (var b in _value)
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        sb.Append('"');
    }
}

/// <summary>A type used as a value: <c>int</c>, <c>type(1)</c>, <c>google.protobuf.Timestamp</c>.</summary>
public sealed class CelTypeValue : CelValue
{
    public CelTypeValue(CelType value) => Value = value;

    public CelType Value { get; }

    public override CelType Type => CelType.TypeType;

    public override bool CelEquals(CelValue other) => other is CelTypeValue t && t.Value.Erased.Equals(Value.Erased);

    public override JsonNode? ToJson() => JsonValue.Create(Value.Erased.Name);

    internal override void AppendTo(StringBuilder sb) => sb.Append(Value.Erased.Name);
}

/// <summary>An error value. Errors propagate through strict functions and are absorbed by <c>&amp;&amp;</c>, <c>||</c>.</summary>
public sealed class CelError : CelValue
{
    public CelError(string message) => Message = message;

    public string Message { get; }

    public override CelType Type => CelType.Error;

    public override bool CelEquals(CelValue other) => false;

    public override JsonNode? ToJson() => null;

    internal override void AppendTo(StringBuilder sb) => sb.Append("error: ").Append(Message);
}

/// <summary>A value that depends on inputs not known yet; carries the ids of the expressions involved.</summary>
public sealed class CelUnknown : CelValue
{
    public CelUnknown(IReadOnlyList<long> expressionIds) => ExpressionIds = expressionIds;

    public IReadOnlyList<long> ExpressionIds { get; }

    public override CelType Type => CelType.Dyn;

    public static CelUnknown Merge(CelUnknown a, CelUnknown b) =>
        new([.. a.ExpressionIds.Concat(b.ExpressionIds).Distinct().Order()]);

    public override bool CelEquals(CelValue other) => false;

    public override JsonNode? ToJson() => null;

    internal override void AppendTo(StringBuilder sb) => sb.Append("unknown").Append('[').AppendJoin(", ", ExpressionIds).Append(']');
}

/// <summary>An optional value (<c>optional.of(x)</c> / <c>optional.none()</c>).</summary>
public sealed class CelOptional : CelValue
{
    private CelOptional(CelValue? value) => Value = value;

    public static CelOptional None { get; } = new(null);

    public CelValue? Value { get; }

    public bool HasValue => Value is not null;

    public override CelType Type { get; } = CelType.Optional(CelType.Dyn);

    public static CelOptional Of(CelValue value) => new(value);

    public override bool CelEquals(CelValue other) =>
        other is CelOptional o && (Value is null ? o.Value is null : o.Value is not null && Value.CelEquals(o.Value));

    public override JsonNode? ToJson() => Value?.ToJson();

    internal override void AppendTo(StringBuilder sb)
    {
        if (Value is null)
        {
            sb.Append("optional.none()");
            return;
        }

        sb.Append("optional.of(");
        Value.AppendTo(sb);
        sb.Append(')');
    }
}
