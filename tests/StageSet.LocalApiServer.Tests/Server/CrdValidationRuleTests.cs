using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>Custom resources are checked against their CRD's <c>x-kubernetes-validations</c> CEL rules on create and update.</summary>
public sealed class CrdValidationRuleTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static JsonObject GadgetCrd()
    {
        var crd = CustomResourceTests.WidgetCrd("gadgets", "Gadget");
        var root = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
        root["x-kubernetes-validations"] = JsonNode.Parse("""[{"rule": "self.metadata.name != 'forbidden'", "message": "name is reserved"}]""");
        var spec = root["properties"]!["spec"]!.AsObject();
        spec["x-kubernetes-validations"] = JsonNode.Parse("""[{"rule": "self.size <= 10", "messageExpression": "'size ' + string(self.size) + ' is above 10'"}]""");
        spec["properties"]!["color"]!["x-kubernetes-validations"] = JsonNode.Parse("""[{"rule": "self == oldSelf", "message": "color is immutable"}]""");
        return crd;
    }

    private static JsonObject Gadget(string ns, string name, JsonObject spec, string? resourceVersion = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (resourceVersion is not null)
        {
            meta["resourceVersion"] = resourceVersion;
        }

        return new() { ["apiVersion"] = "example.com/v1", ["kind"] = "Gadget", ["metadata"] = meta, ["spec"] = spec };
    }

    [Fact]
    public async Task Rules_reject_invalid_objects_and_transition_rules_guard_updates()
    {
        Assert.Equal(201, (await fx.SendAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", GadgetCrd())).Code);
        using (var cts = new CancellationTokenSource(Deadline))
        {
            while ((await fx.SendAsync(HttpMethod.Get, "/apis/example.com/v1/gadgets")).Code != 200)
            {
                await Task.Delay(10, cts.Token);
            }
        }

        var ns = await fx.NamespaceAsync();
        var collection = $"/apis/example.com/v1/namespaces/{ns}/gadgets";

        var tooBig = await fx.SendAsync(HttpMethod.Post, collection, Gadget(ns, "big", new JsonObject { ["size"] = 11, ["color"] = "red" }));
        Assert.Equal(422, tooBig.Code);
        Assert.Equal("Gadget.example.com \"big\" is invalid: spec: Invalid value: \"object\": size 11 is above 10", (string?)tooBig.Json["message"]);
        var cause = tooBig.Json["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", (string?)cause["reason"]);
        Assert.Equal("spec", (string?)cause["field"]);

        var reserved = await fx.SendAsync(HttpMethod.Post, collection, Gadget(ns, "forbidden", new JsonObject { ["color"] = "red" }));
        Assert.Equal(422, reserved.Code);
        Assert.Contains("Invalid value: \"object\": name is reserved", (string?)reserved.Json["message"], StringComparison.Ordinal);

        // The transition rule does not apply on create, and holds for an update that keeps the colour.
        var created = await fx.SendAsync(HttpMethod.Post, collection, Gadget(ns, "ok", new JsonObject { ["color"] = "red" }));
        Assert.Equal(201, created.Code);
        var rv = (string)created.Json["metadata"]!["resourceVersion"]!;
        var resized = await fx.SendAsync(HttpMethod.Put, collection + "/ok", Gadget(ns, "ok", new JsonObject { ["size"] = 5, ["color"] = "red" }, rv));
        Assert.Equal(200, resized.Code);

        var recoloured = await fx.SendAsync(HttpMethod.Put, collection + "/ok",
            Gadget(ns, "ok", new JsonObject { ["size"] = 5, ["color"] = "blue" }, (string)resized.Json["metadata"]!["resourceVersion"]!));
        Assert.Equal(422, recoloured.Code);
        Assert.Equal("Gadget.example.com \"ok\" is invalid: spec.color: Invalid value: \"string\": color is immutable", (string?)recoloured.Json["message"]);
    }
}
