using System.Text.Json.Nodes;
using StageSet.Controller.Hosting;

namespace StageSet.Controller.Tests.Hosting;

public sealed class GateEndpointTests
{
    private static readonly JsonObject StageSet = JsonNode.Parse("""
        {"metadata":{"name":"web","namespace":"apps"},
         "status":{"stages":[{"name":"infra","phase":"Ready","appliedRevision":"v1@sha256:abc"},
                             {"name":"app","phase":"Failed","appliedRevision":"v2@sha256:def"}]}}
        """)!.AsObject();

    private static JsonObject? Lookup(string ns, string name) => ns == "apps" && name == "web" ? StageSet : null;

    [Fact]
    public void A_ready_stage_answers_200_with_its_revision()
    {
        var r = GateEndpoint.Handle("GET", "/gate/apps/web/infra", null, Lookup);

        Assert.Equal(200, r.StatusCode);
        Assert.Equal("stage \"infra\" is Ready at v1@sha256:abc\n", r.Body);
        Assert.Equal("text/plain; charset=utf-8", r.ContentType);
    }

    [Theory]
    [InlineData("/gate/apps/web/app", "stage \"app\" is not Ready (phase=Failed)\n")]
    [InlineData("/gate/apps/web/nope", "stage \"nope\" not found in stageset apps/web\n")]
    [InlineData("/gate/apps/other/app", "stageset apps/other is not gateable\n")]
    public void Anything_else_answers_403_with_the_reason(string path, string body)
    {
        var r = GateEndpoint.Handle("GET", path, null, Lookup);

        Assert.Equal(403, r.StatusCode);
        Assert.Equal(body, r.Body);
    }

    [Fact]
    public void A_failing_lookup_means_not_gateable()
    {
        var r = GateEndpoint.Handle("GET", "/gate/apps/web/infra", null, (_, _) => throw new InvalidOperationException("rbac"));

        Assert.Equal(403, r.StatusCode);
        Assert.Equal("stageset apps/web is not gateable\n", r.Body);
    }

    [Theory]
    [InlineData("/gate/apps/web")]
    [InlineData("/gate/apps//infra")]
    [InlineData("/gate/a/b/c/d")]
    [InlineData("/other/apps/web/infra")]
    public void Malformed_paths_answer_400(string path)
    {
        var r = GateEndpoint.Handle("GET", path, "application/json", Lookup);

        Assert.Equal(400, r.StatusCode);
        Assert.Equal("expected /gate/{namespace}/{stageset}/{stage}", r.Body);
    }

    [Fact]
    public void Leading_and_trailing_slashes_are_trimmed()
    {
        Assert.Equal(200, GateEndpoint.Handle("GET", "/gate//apps/web/infra/", null, Lookup).StatusCode);
    }

    [Fact]
    public void Other_methods_answer_405_with_allow()
    {
        var r = GateEndpoint.Handle("POST", "/gate/apps/web/infra", null, Lookup);

        Assert.Equal(405, r.StatusCode);
        Assert.Equal("method not allowed", r.Body);
        Assert.Equal("GET", r.Headers["Allow"]);
    }

    [Fact]
    public void Json_mode_always_answers_200_with_the_verdict()
    {
        var ready = GateEndpoint.Handle("GET", "/gate/apps/web/infra", "text/plain, application/json", Lookup);
        var failed = GateEndpoint.Handle("GET", "/gate/apps/web/app", "application/json", Lookup);
        var missing = GateEndpoint.Handle("GET", "/gate/apps/none/app", "application/json", Lookup);

        Assert.All([ready, failed, missing], r => Assert.Equal(200, r.StatusCode));
        Assert.Equal("application/json; charset=utf-8", ready.ContentType);
        Assert.Equal("""{"ready":true,"namespace":"apps","stageset":"web","stage":"infra","phase":"Ready","revision":"v1@sha256:abc"}""", ready.Body);
        Assert.Equal("""{"ready":false,"namespace":"apps","stageset":"web","stage":"app","phase":"Failed","revision":"v2@sha256:def"}""", failed.Body);
        Assert.Equal("""{"ready":false,"namespace":"apps","stageset":"none","stage":"app"}""", missing.Body);
    }
}
