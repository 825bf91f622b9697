using System.Text.RegularExpressions;

namespace StageSet.Manifests.Schema;

/// <summary>
/// Schema <c>pattern</c>s as kube-apiserver runs them: Go RE2 syntax, unanchored search, linear time. .NET's
/// non-backtracking engine has the same guarantees; Go-only spellings are translated first.
/// </summary>
internal static class StructuralPatterns
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>Null when the pattern compiles, else the reason it does not.</summary>
    public static string? Error(string pattern)
    {
        try
        {
            _ = Regex.IsMatch("", Translate(pattern), Options);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>Whether <paramref name="value"/> contains a match; null when the pattern is invalid.</summary>
    public static bool? IsMatch(string pattern, string value)
    {
        try
        {
            // Regex's static methods keep their own bounded cache of parsed patterns.
            return Regex.IsMatch(value, Translate(pattern), Options);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Translate(string pattern) => pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
}
