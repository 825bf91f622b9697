using System.Text.Json.Nodes;
using StageSet.Manifests.Selectors;

namespace StageSet.Manifests.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "frontend", ["n"] = "5" };
    private static readonly Dictionary<string, string> Db = new() { ["app"] = "db" };
    private static readonly Dictionary<string, string> None = [];

    [Theory]
    [InlineData("", true, true, true)]
    [InlineData("app=web", true, false, false)]
    [InlineData("app==web", true, false, false)]
    [InlineData("app!=web", false, true, true)]
    [InlineData("app in (web,db)", true, true, false)]
    [InlineData("app notin (web)", false, true, true)]
    [InlineData("app", true, true, false)]
    [InlineData("!app", false, false, true)]
    [InlineData("app,tier", true, false, false)]
    [InlineData("app=web,tier=backend", false, false, false)]
    [InlineData("n>4", true, false, false)]
    [InlineData("n<5", false, false, false)]
    [InlineData("app=", false, false, false)]
    [InlineData("app in (in)", false, false, false)]
    [InlineData("  app  =  web  ", true, false, false)]
    [InlineData("x in (foo,,baz),y notin ()", false, false, false)]
    public void Parses_and_matches_like_apimachinery(string selector, bool web, bool db, bool none)
    {
        var s = LabelSelector.Parse(selector);
        Assert.Equal((web, db, none), (s.Matches(Web), s.Matches(Db), s.Matches(None)));
    }

    [Theory]
    [InlineData("x=a,y!=b,!z,w in (c, b),v notin (e,d),u", "u,v notin (d,e),w in (b,c),x=a,y!=b,!z")]
    [InlineData("x in (foo,,baz)", "x in (,baz,foo)")]
    [InlineData("x==a", "x==a")]
    [InlineData("a>1,b<2", "a>1,b<2")]
    [InlineData("", "")]
    public void Prints_the_canonical_sorted_form(string selector, string expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).ToString());
    }

    [Theory]
    [InlineData("x=a,", "found '', expected: identifier after ','")]
    [InlineData("x==a==b", "found '==', expected: ',' or 'end of string'")]
    [InlineData("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("x in (a", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("x in a", "unable to parse requirement: found 'a' expected: '('")]
    [InlineData("x notin (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    [InlineData(",a", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("x=a b", "found 'b', expected: ',' or 'end of string'")]
    public void Syntax_errors_use_apimachinery_wording(string selector, string message)
    {
        var e = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse(selector));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Invalid_keys_and_values_report_the_validation_message()
    {
        var key = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse("a$b=c"));
        Assert.Equal(
            "unable to parse requirement: <nil>: Invalid value: \"a$b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            key.Message);
        var value = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse("app=a$"));
        Assert.Equal(
            "unable to parse requirement: values[0][app]: Invalid value: \"a$\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            value.Message);
        var prefix = Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse("Example.com/app"));
        Assert.Contains("prefix part a lowercase RFC 1123 subdomain", prefix.Message, StringComparison.Ordinal);
        Assert.Contains("name part must be no more than 63 characters", Assert.Throws<LabelSelectorException>(() => LabelSelector.Parse(new string('a', 64))).Message, StringComparison.Ordinal);
        Assert.Equal("example.com/app", LabelSelector.Parse("example.com/app=x").Requirements[0].Key);
    }

    [Fact]
    public void Json_selectors_follow_label_selector_as_selector()
    {
        Assert.False(LabelSelector.FromJson(null).Matches(Web));
        Assert.True(LabelSelector.FromJson(new JsonObject()).Matches(None));
        var s = LabelSelector.FromJson(JsonNode.Parse("""
            {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["frontend","edge"]},{"key":"gone","operator":"DoesNotExist"}]}
            """));
        Assert.True(s.Matches(Web));
        Assert.False(s.Matches(Db));
        Assert.Equal("app=web,!gone,tier in (edge,frontend)", s.ToString());
        Assert.Equal(["app", "gone", "tier"], s.Requirements.Select(r => r.Key));
    }

    [Fact]
    public void Json_selector_errors()
    {
        var op = Assert.Throws<LabelSelectorException>(() => LabelSelector.FromJson(JsonNode.Parse("""{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}""")));
        Assert.Equal("\"Gt\" is not a valid label selector operator", op.Message);
        var empty = Assert.Throws<LabelSelectorException>(() => LabelSelector.FromJson(JsonNode.Parse("""{"matchExpressions":[{"key":"a","operator":"In"}]}""")));
        Assert.Equal("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty", empty.Message);
        var exists = Assert.Throws<LabelSelectorException>(() => LabelSelector.FromJson(JsonNode.Parse("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""")));
        Assert.Equal("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist", exists.Message);
    }

    [Fact]
    public void Matches_object_labels()
    {
        var obj = JsonNode.Parse("""{"metadata":{"name":"a","labels":{"app":"web"}}}""")!.AsObject();
        Assert.True(LabelSelector.Parse("app=web").Matches(obj));
        Assert.False(LabelSelector.Parse("app=web").Matches(new JsonObject()));
        Assert.True(LabelSelector.FromLabels(new Dictionary<string, string> { ["app"] = "web" }).Matches(obj));
    }
}
