using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace StageSet.Manifests.Schema;

/// <summary>
/// The string <c>format</c>s kube-apiserver checks on custom resources that this project's schemas use or that
/// commonly appear in CRDs; other format names are accepted without a check, as unknown formats are there.
/// </summary>
internal static partial class StructuralFormats
{
    public static bool IsKnown(string format) => format is "date-time" or "datetime" or "date" or "byte" or "uuid" or "ipv4" or "ipv6" or "cidr";

    public static bool IsValid(string format, string value) => format switch
    {
        "date-time" or "datetime" => IsDateTime(value),
        "date" => DateRegex().IsMatch(value) && IsCalendarDate(value),
        "byte" => IsBase64(value),
        "uuid" => UuidRegex().IsMatch(value),
        "ipv4" => IPAddress.TryParse(value, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') == 3,
        "ipv6" => value.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6,
        "cidr" => IPNetwork.TryParse(value, out _),
        _ => true,
    };

    /// <summary>RFC 3339 date-time (T, t or space separator; Z or numeric offset; optional fraction).</summary>
    private static bool IsDateTime(string value)
    {
        var m = DateTimeRegex().Match(value);
        return m.Success && IsCalendarDate(m.Groups["date"].Value) &&
            int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) < 24 &&
            int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) < 60 &&
            int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) < 61;
    }

    private static bool IsCalendarDate(string date) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return value.Length % 4 == 0 && Convert.TryFromBase64String(value, buffer, out _);
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt ](?<h>\d{2}):(?<m>\d{2}):(?<s>\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeRegex();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateRegex();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidRegex();
}
