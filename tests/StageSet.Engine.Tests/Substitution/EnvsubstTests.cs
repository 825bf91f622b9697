using StageSet.Engine.Substitution;

namespace StageSet.Engine.Tests.Substitution;

/// <summary>The §5.2 table beyond upstream's own vectors: operators, escapes and error texts.</summary>
public sealed class EnvsubstTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["name"] = "web",
        ["empty"] = "",
        ["path"] = "a/b/c.tar.gz",
        ["ünï"] = "unicode",
    };

    [Theory]
    [InlineData("${name}", "web")]
    [InlineData("$name", "$name")]
    [InlineData("$${name}", "${name}")]
    [InlineData("$$", "$")]
    [InlineData("a$b", "a$b")]
    [InlineData("${empty:-d}", "d")]
    [InlineData("${empty:=d}", "d")]
    [InlineData("${unset:-d}", "d")]
    [InlineData("${unset-d}", "d")]
    [InlineData("${empty-d}", "")]
    [InlineData("${unset=d}", "d")]
    [InlineData("${name:-d}", "web")]
    [InlineData("${unset:=${name}-x}", "web-x")]
    [InlineData("${#name}", "3")]
    [InlineData("${path#*/}", "b/c.tar.gz")]
    [InlineData("${path##*/}", "c.tar.gz")]
    [InlineData("${path%.*}", "a/b/c.tar")]
    [InlineData("${path%%.*}", "a/b/c")]
    [InlineData("${path/\\//-}", "a-b/c.tar.gz")]
    [InlineData("${path//\\//-}", "a-b-c.tar.gz")]
    [InlineData("${name/#w/W}", "Web")]
    [InlineData("${name/%b/B}", "weB")]
    [InlineData("${name:1}", "eb")]
    [InlineData("${name:-2:1}", "web")]
    [InlineData("${name: -2:1}", "web")]
    [InlineData("${ünï}", "unicode")]
    [InlineData("${path#[ab]/}", "b/c.tar.gz")]
    [InlineData("${unset:+x}", "x")]
    [InlineData("port: ${name}\n  other: ${empty}", "port: web\n  other: ")]
    public void Expands(string input, string expected) => Assert.Equal(expected, Envsubst.Evaluate(input, Vars));

    [Theory]
    [InlineData("${unset}", "variable not set (strict mode): \"unset\"")]
    [InlineData("x ${name} ${#unset}", "variable not set (strict mode): \"unset\"")]
    [InlineData("${name:=${unset}}", "variable not set (strict mode): \"unset\"")]
    [InlineData("${", "unable to parse variable name")]
    [InlineData("${}", "unable to parse variable name")]
    [InlineData("${name", "missing closing brace")]
    [InlineData("${name!}", "missing closing brace")]
    [InlineData("${#}", "bad substitution")]
    [InlineData("${name,x}", "bad substitution")]
    [InlineData("${name:}", "unable to parse substitution within function")]
    public void Refuses(string input, string message)
    {
        var e = Assert.Throws<SubstitutionException>(() => Envsubst.Evaluate(input, Vars));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Non_strict_mode_treats_unset_as_empty() =>
        Assert.Equal("a--b", Envsubst.Evaluate("a-${unset}-b", Vars, strict: false));
}
