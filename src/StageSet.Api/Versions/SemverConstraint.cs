using System.Numerics;
using System.Text.RegularExpressions;
using Semver;

namespace StageSet.Api.Versions;

/// <summary>
/// A semantic version constraint with the grammar and meaning of Masterminds semver v3 (what the Go controller
/// uses for <c>migrations[].from</c>): alternatives separated by <c>||</c>, each a list of comparisons separated
/// by commas or spaces; operators <c>= != &gt; &lt; &gt;= =&gt; &lt;= =&lt; ~ ~&gt; ^</c>; wildcards <c>x X *</c>
/// and missing parts (<c>1.2</c> means 1.2.x); hyphen ranges <c>1.2 - 1.4.5</c>. Pre-release versions satisfy a
/// comparison only when it names a pre-release itself.
/// </summary>
public sealed partial class SemverConstraint
{
    private readonly IReadOnlyList<IReadOnlyList<Comparison>> _alternatives;

    private SemverConstraint(string text, IReadOnlyList<IReadOnlyList<Comparison>> alternatives)
    {
        Text = text;
        _alternatives = alternatives;
    }

    public string Text { get; }

    /// <summary>Parses a constraint; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, out SemverConstraint constraint, out string? error)
    {
        constraint = null!;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "must not be empty";
            return false;
        }

        var rewritten = HyphenRange().Replace(text, m => ">= " + m.Groups["low"].Value + ", <= " + m.Groups["high"].Value);
        var alternatives = new List<IReadOnlyList<Comparison>>();
        foreach (var alternative in rewritten.Split("||"))
        {
            if (!WholeAlternative().IsMatch(alternative))
            {
                error = "improper constraint: " + alternative.Trim();
                return false;
            }

            var comparisons = new List<Comparison>();
            foreach (Match m in OneComparison().Matches(alternative))
            {
                if (!Comparison.TryParse(m.Groups["op"].Value, m.Groups["ver"].Value, out var comparison))
                {
                    error = "improper constraint: " + m.Value.Trim();
                    return false;
                }

                comparisons.Add(comparison);
            }

            alternatives.Add(comparisons);
        }

        constraint = new SemverConstraint(text, alternatives);
        return true;
    }

    /// <summary>True when the whole text is a plain version without operator or wildcard (<c>1.2.3</c>, <c>v1.2.3</c>).</summary>
    public static bool IsBareVersion(string text) => BareVersion().IsMatch(text.Trim());

    public bool IsSatisfiedBy(SemVersion version) => _alternatives.Any(all => all.All(c => c.Matches(version)));

    public override string ToString() => Text;

    private const string VersionPattern = @"v?[0-9xX*]+(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?";

    private const string OperatorPattern = "=>|=<|~>|!=|>=|<=|=|>|<|~|\\^";

    [GeneratedRegex(@"(?<op>" + OperatorPattern + @")?\s*(?<ver>" + VersionPattern + ")")]
    private static partial Regex OneComparison();

    [GeneratedRegex(@"^(\s*(" + OperatorPattern + @")?\s*" + VersionPattern + @"\s*,?)+$")]
    private static partial Regex WholeAlternative();

    [GeneratedRegex(@"\s*(?<low>" + VersionPattern + @")\s+-\s+(?<high>" + VersionPattern + @")\s*")]
    private static partial Regex HyphenRange();

    [GeneratedRegex(@"^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex BareVersion();

    /// <summary>One operator and version; missing or wildcard parts make it "dirty" (a range).</summary>
    private sealed partial record Comparison(string Operator, SemVersion Version, bool Dirty, bool MinorDirty, bool PatchDirty)
    {
        public static bool TryParse(string op, string text, out Comparison comparison)
        {
            comparison = null!;
            var m = Parts().Match(text);
            if (!m.Success)
            {
                return false;
            }

            var major = m.Groups["major"].Value;
            var minor = m.Groups["minor"].Success ? m.Groups["minor"].Value : "";
            var patch = m.Groups["patch"].Success ? m.Groups["patch"].Value : "";
            var pre = m.Groups["pre"].Success ? "-" + m.Groups["pre"].Value : "";
            bool dirty = false, minorDirty = false, patchDirty = false;
            string normalized;
            if (IsWild(major))
            {
                normalized = "0.0.0" + pre;
                dirty = true;
            }
            else if (minor.Length == 0 || IsWild(minor))
            {
                normalized = major + ".0.0" + pre;
                dirty = minorDirty = true;
            }
            else if (patch.Length == 0 || IsWild(patch))
            {
                normalized = major + "." + minor + ".0" + pre;
                dirty = patchDirty = true;
            }
            else
            {
                normalized = major + "." + minor + "." + patch + pre;
            }

            if (!LooseSemver.TryParse(normalized, out var version))
            {
                return false;
            }

            comparison = new Comparison(op, version, dirty, minorDirty, patchDirty);
            return true;
        }

        private static bool IsWild(string part) => part is "x" or "X" or "*";

        public bool Matches(SemVersion v)
        {
            // A pre-release only satisfies comparisons that name a pre-release themselves.
            if (v.IsPrerelease && !Version.IsPrerelease)
            {
                return false;
            }

            var cmp = SemVersion.ComparePrecedence(v, Version);
            return Operator switch
            {
                "" or "=" => Dirty ? Tilde(v, cmp) : cmp == 0,
                "!=" => Dirty ? !Tilde(v, cmp) : cmp != 0,
                ">" => GreaterThan(v, cmp),
                "<" => cmp < 0,
                ">=" or "=>" => cmp >= 0,
                "<=" or "=<" => LessOrEqual(v, cmp),
                "~" or "~>" => Tilde(v, cmp),
                "^" => Caret(v, cmp),
                _ => false,
            };
        }

        private bool GreaterThan(SemVersion v, int cmp)
        {
            if (!Dirty)
            {
                return cmp > 0;
            }

            if (v.Major != Version.Major)
            {
                return v.Major > Version.Major;
            }

            if (MinorDirty)
            {
                // ">1" needs 2.0.0 or later.
                return false;
            }

            if (PatchDirty)
            {
                return v.Minor > Version.Minor;
            }

            return cmp > 0;
        }

        private bool LessOrEqual(SemVersion v, int cmp)
        {
            if (!Dirty)
            {
                return cmp <= 0;
            }

            if (v.Major != Version.Major)
            {
                return v.Major < Version.Major;
            }

            if (MinorDirty)
            {
                return true;
            }

            return PatchDirty ? v.Minor <= Version.Minor : cmp <= 0;
        }

        private bool Tilde(SemVersion v, int cmp)
        {
            if (cmp < 0)
            {
                return false;
            }

            if (Version.Major.IsZero && Version.Minor.IsZero && Version.Patch.IsZero && !MinorDirty && !PatchDirty)
            {
                return true;
            }

            if (v.Major != Version.Major)
            {
                return false;
            }

            return MinorDirty || v.Minor == Version.Minor;
        }

        private bool Caret(SemVersion v, int cmp)
        {
            if (cmp < 0)
            {
                return false;
            }

            if (Version.Major > BigInteger.Zero || MinorDirty)
            {
                return v.Major == Version.Major;
            }

            if (v.Major > BigInteger.Zero)
            {
                return false;
            }

            if (Version.Minor > BigInteger.Zero || PatchDirty)
            {
                return v.Minor == Version.Minor;
            }

            return v.Minor.IsZero && v.Patch == Version.Patch;
        }

        [GeneratedRegex(@"^v?(?<major>[0-9]+|[xX*])(\.(?<minor>[0-9]+|[xX*]))?(\.(?<patch>[0-9]+|[xX*]))?(-(?<pre>[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
        private static partial Regex Parts();
    }
}
