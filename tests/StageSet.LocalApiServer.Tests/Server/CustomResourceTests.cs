using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>CustomResourceDefinitions become served; custom resources are pruned, defaulted and validated (api-server.md §2.1).</summary>
public sealed class CustomResourceTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static JsonObject WidgetCrd(string plural = "widgets", string kind = "Widget") => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = plural + ".example.com" },
        ["spec"] = new JsonObject
        {
            ["group"] = "example.com",
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject { ["plural"] = plural, ["singular"] = kind.ToLowerInvariant(), ["kind"] = kind, ["listKind"] = kind + "List" },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["spec"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["properties"] = new JsonObject
                                {
                                    ["size"] = new JsonObject { ["type"] = "integer", ["default"] = 3 },
                                    ["color"] = new JsonObject { ["type"] = "string" },
                                },
                            },
                            ["status"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                        },
                    },
                },
            }),
        },
    };

    private async Task<string> EstablishAsync(string plural, string kind)
    {
        var created = await fx.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", WidgetCrd(plural, kind));
        Assert.Equal(201, created.Code);
        Assert.Equal("v1", (string?)created.Json["status"]!["storedVersions"]![0]);
        Assert.Null(created.Json["status"]!["conditions"]);
        using var cts = new CancellationTokenSource(Deadline);
        while ((await fx.SendAsync(HttpMethod.Get, $"/apis/example.com/v1/{plural}")).Code != 200)
        {
            await Task.Delay(10, cts.Token);
        }

        return await fx.NamespaceAsync();
    }

    private static JsonObject Widget(string ns, string name, JsonObject spec, string kind = "Widget") => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = spec,
    };

    [Fact]
    public async Task Established_crd_serves_custom_resources_with_defaults_and_kind_on_list_items()
    {
        var ns = await EstablishAsync("widgets", "Widget");
        var crd = await fx.SendAsync(HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
        var conditions = crd.Json["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => (string?)c!["type"] == "Established" && (string?)c["status"] == "True" && (string?)c["reason"] == "InitialNamesAccepted");
        Assert.Contains(conditions, c => (string?)c!["type"] == "NamesAccepted" && (string?)c["reason"] == "NoConflicts");

        var created = await fx.SendAsync(HttpMethod.Post, $"/apis/example.com/v1/namespaces/{ns}/widgets", Widget(ns, "w", new JsonObject { ["color"] = "red" }));
        Assert.Equal(201, created.Code);
        Assert.Equal(3, (int)created.Json["spec"]!["size"]!);
        Assert.Equal(1, (long)created.Json["metadata"]!["generation"]!);

        var list = await fx.SendAsync(HttpMethod.Get, $"/apis/example.com/v1/namespaces/{ns}/widgets");
        Assert.Equal("WidgetList", (string?)list.Json["kind"]);
        Assert.Equal("Widget", (string?)list.Json["items"]![0]!["kind"]);

        var apis = await fx.SendAsync(HttpMethod.Get, "/apis/example.com/v1");
        Assert.Contains(apis.Json["resources"]!.AsArray(), r => (string?)r!["name"] == "widgets/status");
        var openapi = await fx.SendAsync(HttpMethod.Get, "/openapi/v3");
        Assert.NotNull(openapi.Json["paths"]!["apis/example.com/v1"]);
    }

    [Fact]
    public async Task Unknown_fields_are_rejected_when_strict_warned_by_default_and_schema_errors_are_422()
    {
        var ns = await EstablishAsync("gadgets", "Gadget");
        var strict = await fx.SendAsync(HttpMethod.Post, $"/apis/example.com/v1/namespaces/{ns}/gadgets?fieldValidation=Strict",
            Widget(ns, "g", new JsonObject { ["foo"] = 1 }, "Gadget"));
        Assert.Equal(400, strict.Code);
        Assert.Equal("Gadget in version \"v1\" cannot be handled as a Gadget: strict decoding error: unknown field \"spec.foo\"", (string?)strict.Json["message"]);

        var warned = await fx.SendAsync(HttpMethod.Post, $"/apis/example.com/v1/namespaces/{ns}/gadgets",
            Widget(ns, "g", new JsonObject { ["foo"] = 1 }, "Gadget"));
        Assert.Equal(201, warned.Code);
        Assert.Null(warned.Json["spec"]!["foo"]);
        Assert.Contains("unknown field \\\"spec.foo\\\"", warned.Headers.GetValues("Warning").Single());

        var invalid = await fx.SendAsync(HttpMethod.Post, $"/apis/example.com/v1/namespaces/{ns}/gadgets",
            Widget(ns, "h", new JsonObject { ["size"] = "x" }, "Gadget"));
        Assert.Equal(422, invalid.Code);
        Assert.Equal("Gadget.example.com \"h\" is invalid: spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"",
            (string?)invalid.Json["message"]);

        var smp = await fx.SendAsync(HttpMethod.Patch, $"/apis/example.com/v1/namespaces/{ns}/gadgets/g", new JsonObject(), "application/strategic-merge-patch+json");
        Assert.Equal(415, smp.Code);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
            (string?)smp.Json["message"]);
    }

    [Fact]
    public async Task Deleting_the_crd_removes_its_resources_and_stops_serving()
    {
        var ns = await EstablishAsync("gizmos", "Gizmo");
        await fx.SendAsync(HttpMethod.Post, $"/apis/example.com/v1/namespaces/{ns}/gizmos", Widget(ns, "a", new JsonObject(), "Gizmo"));
        var deleted = await fx.SendAsync(HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com");
        Assert.Equal(200, deleted.Code);
        Assert.Contains("customresourcecleanup.apiextensions.k8s.io", deleted.Json["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        using var cts = new CancellationTokenSource(Deadline);
        while ((await fx.SendAsync(HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.example.com")).Code != 404)
        {
            await Task.Delay(10, cts.Token);
        }

        while ((await fx.SendAsync(HttpMethod.Get, $"/apis/example.com/v1/namespaces/{ns}/gizmos")).Code != 404)
        {
            await Task.Delay(10, cts.Token);
        }
    }

    [Fact]
    public async Task Invalid_crd_is_422()
    {
        var crd = WidgetCrd("things", "Thing");
        crd["metadata"]!["name"] = "wrong.example.com";
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject().Remove("type");
        var response = await fx.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        Assert.Equal(422, response.Code);
        var fields = response.Json["details"]!["causes"]!.AsArray().Select(c => (string?)c!["field"]).ToList();
        Assert.Contains("metadata.name", fields);
        Assert.Contains(fields, f => f!.StartsWith("spec.versions[0].schema.openAPIV3Schema", StringComparison.Ordinal));
    }
}
