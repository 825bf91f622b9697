using StageSet.Api.Versions;

namespace StageSet.Api.Tests;

public class VersionsTests
{
    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData("1.2", "1.2.0")]
    [InlineData("v2", "2.0.0")]
    [InlineData("1.0.0-rc.1+build.5", "1.0.0-rc.1+build.5")]
    [InlineData("01.02.03", "1.2.3")]
    public void Loose_versions_parse(string text, string normalized)
    {
        Assert.True(LooseSemver.TryParse(text, out var v));
        Assert.Equal(normalized, v.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    [InlineData("1.2.3.4")]
    [InlineData("1.0.0-01")]
    [InlineData(" 1.2.3")]
    [InlineData("=1.2.3")]
    public void Non_versions_are_rejected(string text) => Assert.False(LooseSemver.TryParse(text, out _));

    [Fact]
    public void Precedence_ignores_build_metadata()
    {
        Assert.True(LooseSemver.Compare(LooseSemver.Parse("1.10.0"), LooseSemver.Parse("1.9.9")) > 0);
        Assert.True(LooseSemver.Compare(LooseSemver.Parse("2.0.0-rc.1"), LooseSemver.Parse("2.0.0")) < 0);
        Assert.Equal(0, LooseSemver.Compare(LooseSemver.Parse("1.0.0+a"), LooseSemver.Parse("1.0.0+b")));
    }

    [Theory]
    [InlineData(">=1.2.0, <2.0.0", "1.2.0", true)]
    [InlineData(">=1.2.0, <2.0.0", "2.0.0", false)]
    [InlineData(">= 1.2 < 3.0.0", "2.9.9", true)]
    [InlineData("1.*", "1.9.0", true)]
    [InlineData("1.*", "2.0.0", false)]
    [InlineData("1.x", "1.0.0", true)]
    [InlineData("=1.2", "1.2.7", true)]
    [InlineData("=1.2.3", "1.2.3", true)]
    [InlineData("=1.2.3", "1.2.4", false)]
    [InlineData("!=1.2.3", "1.2.4", true)]
    [InlineData(">1", "1.5.0", false)]
    [InlineData(">1", "2.0.0", true)]
    [InlineData(">1.1", "1.1.9", false)]
    [InlineData(">1.1", "1.2.0", true)]
    [InlineData("<=1.2", "1.2.9", true)]
    [InlineData("<=1.2", "1.3.0", false)]
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData("~1", "1.9.0", true)]
    [InlineData("^1.2.3", "1.9.0", true)]
    [InlineData("^1.2.3", "2.0.0", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("1.2 - 1.4.5", "1.4.5", true)]
    [InlineData("1.2 - 1.4.5", "1.4.6", false)]
    [InlineData("<1.0.0 || >=2.0.0", "2.1.0", true)]
    [InlineData("<1.0.0 || >=2.0.0", "1.5.0", false)]
    [InlineData(">=1.0.0", "2.0.0-rc.1", false)]
    [InlineData(">=2.0.0-rc.0", "2.0.0-rc.1", true)]
    [InlineData("*", "3.4.5", true)]
    public void Constraints_follow_masterminds(string constraint, string version, bool satisfied)
    {
        Assert.True(SemverConstraint.TryParse(constraint, out var c, out var error), error);
        Assert.Equal(satisfied, c.IsSatisfiedBy(LooseSemver.Parse(version)));
    }

    [Theory]
    [InlineData(">>1.0.0")]
    [InlineData("one")]
    [InlineData("")]
    [InlineData(">=1.0.0,, <2")]
    public void Improper_constraints_are_rejected(string constraint) =>
        Assert.False(SemverConstraint.TryParse(constraint, out _, out _));

    [Theory]
    [InlineData("1.2.3", true)]
    [InlineData("v1.2.3", true)]
    [InlineData(" 1.2.3 ", true)]
    [InlineData("1.2", false)]
    [InlineData("=1.2.3", false)]
    [InlineData("1.*", false)]
    public void Bare_versions_are_recognised(string text, bool bare) => Assert.Equal(bare, SemverConstraint.IsBareVersion(text));
}
