namespace StageSet.Cel.Library;

/// <summary>Integer arithmetic with CEL's overflow errors, and double arithmetic with IEEE semantics.</summary>
internal static class Arithmetic
{
    public static CelValue AddInt(CelValue a, CelValue b)
    {
        long x = ((CelInt)a).Value, y = ((CelInt)b).Value;
        var r = unchecked(x + y);
        return ((x ^ r) & (y ^ r)) < 0 ? Errors.IntOverflow : CelInt.Of(r);
    }

    public static CelValue SubtractInt(CelValue a, CelValue b)
    {
        long x = ((CelInt)a).Value, y = ((CelInt)b).Value;
        var r = unchecked(x - y);
        return ((x ^ y) & (x ^ r)) < 0 ? Errors.IntOverflow : CelInt.Of(r);
    }

    public static CelValue MultiplyInt(CelValue a, CelValue b)
    {
        var r = (Int128)((CelInt)a).Value * ((CelInt)b).Value;
        return r < long.MinValue || r > long.MaxValue ? Errors.IntOverflow : CelInt.Of((long)r);
    }

    public static CelValue DivideInt(CelValue a, CelValue b)
    {
        long x = ((CelInt)a).Value, y = ((CelInt)b).Value;
        if (y == 0)
        {
            return Errors.DivideByZero;
        }

        return x == long.MinValue && y == -1 ? Errors.IntOverflow : CelInt.Of(x / y);
    }

    public static CelValue ModuloInt(CelValue a, CelValue b)
    {
        long x = ((CelInt)a).Value, y = ((CelInt)b).Value;
        if (y == 0)
        {
            return Errors.ModulusByZero;
        }

        return x == long.MinValue && y == -1 ? Errors.IntOverflow : CelInt.Of(x % y);
    }

    public static CelValue NegateInt(CelValue a)
    {
        var x = ((CelInt)a).Value;
        return x == long.MinValue ? Errors.IntOverflow : CelInt.Of(-x);
    }

    public static CelValue AddUint(CelValue a, CelValue b)
    {
        ulong x = ((CelUint)a).Value, y = ((CelUint)b).Value;
        var r = unchecked(x + y);
        return r < x ? Errors.UintOverflow : new CelUint(r);
    }

    public static CelValue SubtractUint(CelValue a, CelValue b)
    {
        ulong x = ((CelUint)a).Value, y = ((CelUint)b).Value;
        return y > x ? Errors.UintOverflow : new CelUint(x - y);
    }

    public static CelValue MultiplyUint(CelValue a, CelValue b)
    {
        var r = (UInt128)((CelUint)a).Value * ((CelUint)b).Value;
        return r > ulong.MaxValue ? Errors.UintOverflow : new CelUint((ulong)r);
    }

    public static CelValue DivideUint(CelValue a, CelValue b)
    {
        ulong x = ((CelUint)a).Value, y = ((CelUint)b).Value;
        return y == 0 ? Errors.DivideByZero : new CelUint(x / y);
    }

    public static CelValue ModuloUint(CelValue a, CelValue b)
    {
        ulong x = ((CelUint)a).Value, y = ((CelUint)b).Value;
        return y == 0 ? Errors.ModulusByZero : new CelUint(x % y);
    }

    public static CelValue AddDouble(CelValue a, CelValue b) => new CelDouble(((CelDouble)a).Value + ((CelDouble)b).Value);

    public static CelValue SubtractDouble(CelValue a, CelValue b) => new CelDouble(((CelDouble)a).Value - ((CelDouble)b).Value);

    public static CelValue MultiplyDouble(CelValue a, CelValue b) => new CelDouble(((CelDouble)a).Value * ((CelDouble)b).Value);

    public static CelValue DivideDouble(CelValue a, CelValue b) => new CelDouble(((CelDouble)a).Value / ((CelDouble)b).Value);

    public static CelValue NegateDouble(CelValue a) => new CelDouble(-((CelDouble)a).Value);

    public static CelValue AddTimestampDuration(CelValue a, CelValue b) =>
        CelTimestamp.FromUnixNanos(((CelTimestamp)a).UnixNanos + ((CelDuration)b).Nanoseconds);

    public static CelValue SubtractTimestampDuration(CelValue a, CelValue b) =>
        CelTimestamp.FromUnixNanos(((CelTimestamp)a).UnixNanos - ((CelDuration)b).Nanoseconds);

    public static CelValue SubtractTimestamps(CelValue a, CelValue b) =>
        CelDuration.FromNanos(((CelTimestamp)a).UnixNanos - ((CelTimestamp)b).UnixNanos);

    public static CelValue AddDurations(CelValue a, CelValue b) =>
        CelDuration.FromNanos((Int128)((CelDuration)a).Nanoseconds + ((CelDuration)b).Nanoseconds);

    public static CelValue SubtractDurations(CelValue a, CelValue b) =>
        CelDuration.FromNanos((Int128)((CelDuration)a).Nanoseconds - ((CelDuration)b).Nanoseconds);

    public static CelValue NegateDuration(CelValue a) => CelDuration.FromNanos(-(Int128)((CelDuration)a).Nanoseconds);
}
