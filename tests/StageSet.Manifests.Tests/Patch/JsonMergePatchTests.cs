using System.Text.Json.Nodes;
using StageSet.Manifests.Patch;

namespace StageSet.Manifests.Tests.Patch;

public sealed class JsonMergePatchTests
{
    // RFC 7386 Appendix A.
    public static TheoryData<string, string, string> RfcExamples() => new()
    {
        { """{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""" },
        { """{"a":"b"}""", """{"a":null}""", """{}""" },
        { """{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""" },
        { """{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""" },
        { """{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""" },
        { """{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""" },
        { """["a","b"]""", """["c","d"]""", """["c","d"]""" },
        { """{"a":"b"}""", """["c"]""", """["c"]""" },
        { """{"a":"foo"}""", "null", "null" },
        { """{"a":"foo"}""", "\"bar\"", "\"bar\"" },
        { """{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""" },
        { """[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""" },
        { "{}", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""" },
    };

    [Theory]
    [MemberData(nameof(RfcExamples))]
    public void Apply_follows_rfc_7386(string target, string patch, string expected)
    {
        var t = JsonNode.Parse(target);
        var before = t?.ToJsonString();
        JsonText.Equal(expected, JsonMergePatch.Apply(t, JsonNode.Parse(patch)));
        Assert.Equal(before, t?.ToJsonString());
    }

    [Theory]
    [InlineData("""{"a":1,"b":{"c":2,"d":3},"l":[1]}""", """{"a":1,"b":{"c":5},"l":[1,2],"n":"x"}""", """{"b":{"c":5,"d":null},"l":[1,2],"n":"x"}""")]
    [InlineData("""{"a":1}""", """{"a":1.0}""", "{}")]
    [InlineData("""{"a":{"b":1}}""", """{"a":"s"}""", """{"a":"s"}""")]
    public void Create_produces_the_minimal_patch_that_round_trips(string original, string modified, string expectedPatch)
    {
        var o = JsonNode.Parse(original);
        var m = JsonNode.Parse(modified);
        var patch = JsonMergePatch.Create(o, m);
        JsonText.Equal(expectedPatch, patch);
        Assert.True(JsonEquality.DeepEquals(m, JsonMergePatch.Apply(o, patch)));
    }
}
