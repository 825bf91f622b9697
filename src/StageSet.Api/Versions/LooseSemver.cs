using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Semver;

namespace StageSet.Api.Versions;

/// <summary>
/// Semantic versions read the way the Go controller reads them (Masterminds <c>NewVersion</c>, "loose"): a leading
/// <c>v</c> and missing minor or patch numbers are accepted (<c>v1.2</c> is 1.2.0); pre-release identifiers follow
/// SemVer 2 rules. Comparison is SemVer precedence (build metadata ignored).
/// </summary>
public static partial class LooseSemver
{
    public static bool TryParse(string? text, out SemVersion version)
    {
        version = null!;
        if (text is null)
        {
            return false;
        }

        var m = Grammar().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var major = BigInteger.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture);
        var minor = m.Groups["minor"].Success ? BigInteger.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture) : BigInteger.Zero;
        var patch = m.Groups["patch"].Success ? BigInteger.Parse(m.Groups["patch"].Value, CultureInfo.InvariantCulture) : BigInteger.Zero;
        var normalized = $"{major}.{minor}.{patch}" +
            (m.Groups["pre"].Success ? "-" + m.Groups["pre"].Value : "") +
            (m.Groups["meta"].Success ? "+" + m.Groups["meta"].Value : "");
        // Strict parsing of the normalised text rejects numeric pre-release identifiers with leading zeros.
        var ok = SemVersion.TryParse(normalized, SemVersionStyles.Strict, out var parsed);
        version = parsed!;
        return ok;
    }

    public static SemVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"{Quote(text)} is not a semantic version");

    /// <summary>SemVer precedence: negative when <paramref name="a"/> sorts first.</summary>
    public static int Compare(SemVersion a, SemVersion b) => SemVersion.ComparePrecedence(a, b);

    /// <summary>The message ValidateSpec uses for a value that is not a version.</summary>
    public static string InvalidMessage => "must be a semantic version such as 1.2.3 (a leading v and a missing patch number are accepted)";

    internal static string Quote(string s) => "\"" + s + "\"";

    [GeneratedRegex(@"^v?(?<major>[0-9]+)(\.(?<minor>[0-9]+))?(\.(?<patch>[0-9]+))?(-(?<pre>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+(?<meta>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$")]
    private static partial Regex Grammar();
}
