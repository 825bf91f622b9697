using System.Globalization;

namespace StageSet.Cel.Tests.Conformance;

/// <summary>Turns <c>cel.expr.Value</c> and <c>cel.expr.Type</c> text messages into our values and types.</summary>
internal static class ValueConversion
{
    public static CelValue ToValue(TextMessage v)
    {
        var (name, value) = v.Fields.Single();
        var scalar = value as TextScalar;
        var message = value as TextMessage;
        return name switch
        {
            "null_value" => CelNull.Instance,
            "bool_value" => CelBool.Of(scalar!.Text == "true"),
            "int64_value" => CelInt.Of(long.Parse(scalar!.Text, CultureInfo.InvariantCulture)),
            "uint64_value" => new CelUint(ulong.Parse(scalar!.Text, CultureInfo.InvariantCulture)),
            "double_value" => new CelDouble(ParseDouble(scalar!.Text)),
            "string_value" => new CelString(scalar!.AsString()),
            "bytes_value" => new CelBytes(scalar!.Bytes ?? []),
            "list_value" => new CelArrayList(message!.Messages("values").Select(ToValue)),
            "map_value" => CelDictionaryMap.Create(message!.Messages("entries")
                .Select(e => new KeyValuePair<CelValue, CelValue>(ToValue(e.Message("key")!), ToValue(e.Message("value")!)))),
            "type_value" => new CelTypeValue(TypeByName(scalar!.AsString())),
            "object_value" => ObjectValue(message!),
            _ => throw new NotSupportedException("value kind " + name),
        };
    }

    private static double ParseDouble(string text) => text.ToLowerInvariant() switch
    {
        "inf" or "infinity" or "+inf" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        "nan" => double.NaN,
        _ => double.Parse(text.TrimEnd('f', 'F'), NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static CelValue ObjectValue(TextMessage any)
    {
        var (typeUrl, body) = any.Fields.Single();
        var fields = (TextMessage)body;
        var seconds = long.Parse(fields.Scalar("seconds")?.Text ?? "0", CultureInfo.InvariantCulture);
        var nanos = int.Parse(fields.Scalar("nanos")?.Text ?? "0", CultureInfo.InvariantCulture);
        return typeUrl switch
        {
            "[type.googleapis.com/google.protobuf.Duration]" => new CelDuration(seconds * 1_000_000_000 + nanos),
            "[type.googleapis.com/google.protobuf.Timestamp]" =>
                CelTimestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(nanos / 100)),
            _ => throw new NotSupportedException("object value " + typeUrl),
        };
    }

    private static CelType TypeByName(string name) => name switch
    {
        "bool" => CelType.Bool,
        "int" => CelType.Int,
        "uint" => CelType.Uint,
        "double" => CelType.Double,
        "string" => CelType.String,
        "bytes" => CelType.Bytes,
        "list" => CelType.ListOfDyn,
        "map" => CelType.MapOfDyn,
        "null_type" => CelType.Null,
        "type" => CelType.TypeType,
        "google.protobuf.Timestamp" => CelType.Timestamp,
        "google.protobuf.Duration" => CelType.Duration,
        _ => CelType.Opaque(name),
    };

    public static CelType ToType(TextMessage t)
    {
        var (name, value) = t.Fields.Single();
        var scalar = value as TextScalar;
        var message = value as TextMessage;
        return name switch
        {
            "dyn" => CelType.Dyn,
            "null" => CelType.Null,
            "error" => CelType.Error,
            "primitive" => scalar!.Text switch
            {
                "BOOL" => CelType.Bool,
                "INT64" => CelType.Int,
                "UINT64" => CelType.Uint,
                "DOUBLE" => CelType.Double,
                "STRING" => CelType.String,
                "BYTES" => CelType.Bytes,
                var p => throw new NotSupportedException("primitive " + p),
            },
            "well_known" => scalar!.Text switch
            {
                "TIMESTAMP" => CelType.Timestamp,
                "DURATION" => CelType.Duration,
                var w => throw new NotSupportedException("well-known type " + w),
            },
            "message_type" => scalar!.AsString() switch
            {
                "google.protobuf.Timestamp" => CelType.Timestamp,
                "google.protobuf.Duration" => CelType.Duration,
                var m => throw new NotSupportedException("message type " + m),
            },
            "list_type" => CelType.List(ToType(message!.Message("elem_type")!)),
            "map_type" => CelType.Map(ToType(message!.Message("key_type")!), ToType(message.Message("value_type")!)),
            "type" => message!.Fields.Count == 0 ? CelType.TypeType : CelType.TypeOf(ToType(message)),
            "type_param" => CelType.Param(scalar!.AsString()),
            "abstract_type" => CelType.Opaque(message!.String("name")!, [.. message.Messages("parameter_types").Select(ToType)]),
            _ => throw new NotSupportedException("type kind " + name),
        };
    }

    /// <summary>Exact match: same types all the way down, maps regardless of order, any NaN matches any NaN.</summary>
    public static bool Matches(CelValue expected, CelValue actual) => (expected, actual) switch
    {
        (CelDouble e, CelDouble a) => (double.IsNaN(e.Value) && double.IsNaN(a.Value)) || e.Value.Equals(a.Value) || e.Value == a.Value,
        (CelList e, CelList a) => e.Count == a.Count && Enumerable.Range(0, e.Count).All(i => Matches(e[i], a[i])),
        (CelMap e, CelMap a) => e.Count == a.Count && e.Entries.All(kv => a.TryGetValue(kv.Key, out var av) && SameKeyType(kv.Key, a, av) && Matches(kv.Value, av)),
        (CelTypeValue e, CelTypeValue a) => e.Value.Erased.Name == a.Value.Erased.Name,
        _ => expected.GetType() == actual.GetType() && expected.CelEquals(actual),
    };

    private static bool SameKeyType(CelValue key, CelMap map, CelValue _) => map.Keys.Any(k => k.GetType() == key.GetType() && k.CelEquals(key));
}
