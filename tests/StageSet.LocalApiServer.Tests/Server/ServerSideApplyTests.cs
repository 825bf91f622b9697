using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>Server-side apply end to end through HTTP (api-server.md §6): ownership, conflicts, removal, FieldsV1.</summary>
public sealed class ServerSideApplyTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    /// <summary>Writes JSON as kube-apiserver does (quotes escaped as <c>\"</c>, not <c>\u0022</c>).</summary>
    private static readonly JsonSerializerOptions GoLike = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private Task<RawResponse> ApplyAsync(string path, JsonObject config, string manager, bool force = false) =>
        fx.SendAsync(HttpMethod.Patch, $"{path}?fieldManager={manager}{(force ? "&force=true" : "")}", config, "application/apply-patch+yaml");

    private static JsonObject Cm(string ns, JsonObject data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = "c", ["namespace"] = ns },
        ["data"] = data,
    };

    private static string CmPath(string ns) => $"/api/v1/namespaces/{ns}/configmaps/c";

    /// <summary>The fieldsV1 of one manager's entry, as the exact JSON text the server sent.</summary>
    private static string? FieldsOf(JsonObject obj, string manager, string operation = "Apply") =>
        obj["metadata"]!["managedFields"]!.AsArray()
            .SingleOrDefault(e => (string?)e!["manager"] == manager && (string?)e["operation"] == operation)?["fieldsV1"]?.ToJsonString(GoLike);

    [Fact]
    public async Task Two_managers_applying_equal_values_share_the_field_without_conflict()
    {
        var ns = await fx.NamespaceAsync("ssa");
        Assert.Equal(201, (await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1", ["y"] = "2" }), "a")).Code);
        var shared = await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1" }), "b");
        Assert.Equal(200, shared.Code);
        Assert.Equal("""{"f:data":{"f:x":{},"f:y":{}}}""", FieldsOf(shared.Json, "a"));
        Assert.Equal("""{"f:data":{"f:x":{}}}""", FieldsOf(shared.Json, "b"));
    }

    [Fact]
    public async Task Conflicting_value_is_409_with_field_manager_conflict_causes_and_force_transfers_ownership()
    {
        var ns = await fx.NamespaceAsync("ssa");
        await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1", ["y"] = "2" }), "a");
        var before = await fx.SendAsync(HttpMethod.Get, CmPath(ns));

        var conflict = await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "other" }), "b");
        Assert.Equal(409, conflict.Code);
        Assert.Equal("Conflict", (string?)conflict.Json["reason"]);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .data.x", (string?)conflict.Json["message"]);
        Assert.Equal(
            """[{"reason":"FieldManagerConflict","message":"conflict with \"a\"","field":".data.x"}]""",
            conflict.Json["details"]!["causes"]!.ToJsonString(GoLike));
        var unchanged = await fx.SendAsync(HttpMethod.Get, CmPath(ns));
        Assert.Equal(Objects.Rv(before.Json), Objects.Rv(unchanged.Json));

        var forced = await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "other" }), "b", force: true);
        Assert.Equal(200, forced.Code);
        Assert.Equal("other", (string?)forced.Json["data"]!["x"]);
        Assert.Equal("""{"f:data":{"f:y":{}}}""", FieldsOf(forced.Json, "a"));
        Assert.Equal("""{"f:data":{"f:x":{}}}""", FieldsOf(forced.Json, "b"));
    }

    [Fact]
    public async Task A_field_dropped_by_its_only_owner_is_removed()
    {
        var ns = await fx.NamespaceAsync("ssa");
        await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1", ["y"] = "2" }), "a");
        var dropped = await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1" }), "a");
        Assert.Equal(200, dropped.Code);
        Assert.Equal("""{"x":"1"}""", dropped.Json["data"]!.ToJsonString());
        Assert.Equal("""{"f:data":{"f:x":{}}}""", FieldsOf(dropped.Json, "a"));
    }

    [Fact]
    public async Task A_field_dropped_by_one_owner_but_owned_by_another_is_kept()
    {
        var ns = await fx.NamespaceAsync("ssa");
        await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1", ["y"] = "2" }), "a");
        await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["y"] = "2" }), "b");
        var kept = await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1" }), "a");
        Assert.Equal(200, kept.Code);
        Assert.Equal("""{"x":"1","y":"2"}""", kept.Json["data"]!.ToJsonString());
        Assert.Equal("""{"f:data":{"f:x":{}}}""", FieldsOf(kept.Json, "a"));
        Assert.Equal("""{"f:data":{"f:y":{}}}""", FieldsOf(kept.Json, "b"));
    }

    [Fact]
    public async Task Containers_are_merged_by_name_across_managers_with_exact_fieldsV1()
    {
        var ns = await fx.NamespaceAsync("ssa");
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web";
        var deployment = Objects.Deployment(ns, "web");
        deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "log", ["image"] = "busybox:1" });
        Assert.Equal(201, (await ApplyAsync(path, deployment, "owner")).Code);

        var sidecar = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject { ["name"] = "proxy", ["image"] = "envoy:1" }),
                    },
                },
            },
        };
        var merged = await ApplyAsync(path, sidecar, "mesh");
        Assert.Equal(200, merged.Code);
        var containers = merged.Json["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web=nginx:1", "log=busybox:1", "proxy=envoy:1"], containers.Select(c => $"{c!["name"]}={c["image"]}"));

        // Selector is an atomic struct; containers is a map-list keyed by name; Apply entries mark only list items with ".".
        Assert.Equal(
            """{"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"log\"}":{".":{},"f:image":{},"f:name":{}},"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            FieldsOf(merged.Json, "owner"));
        Assert.Equal(
            """{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"proxy\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            FieldsOf(merged.Json, "mesh"));

        // The owner re-applying its two containers neither removes the other manager's container nor conflicts.
        var reapplied = await ApplyAsync(path, deployment, "owner");
        Assert.Equal(200, reapplied.Code);
        Assert.Equal(3, reapplied.Json["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Managed_fields_entry_has_the_apply_shape()
    {
        var ns = await fx.NamespaceAsync("ssa");
        var created = await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["x"] = "1" }), "shape");
        var entry = created.Json["metadata"]!["managedFields"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"], entry.Select(p => p.Key));
        Assert.Equal("Apply", (string?)entry["operation"]);
        Assert.Equal("v1", (string?)entry["apiVersion"]);
        Assert.Equal("FieldsV1", (string?)entry["fieldsType"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string?)entry["time"]);
    }

    [Fact]
    public async Task Concurrent_applies_without_a_resourceVersion_all_succeed_by_retrying_lost_races()
    {
        var ns = await fx.NamespaceAsync("ssa");
        await ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { ["seed"] = "0" }), "seed");
        var codes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            ApplyAsync(CmPath(ns), Cm(ns, new JsonObject { [$"k{i}"] = $"{i}" }), $"m{i}")));
        Assert.All(codes, r => Assert.Equal(200, r.Code));
        var final = await fx.SendAsync(HttpMethod.Get, CmPath(ns));
        Assert.Equal(17, final.Json["data"]!.AsObject().Count);
        Assert.Equal(17, final.Json["metadata"]!["managedFields"]!.AsArray().Count);
    }
}
