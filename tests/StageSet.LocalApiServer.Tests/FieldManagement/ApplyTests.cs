using System.Text.Json.Nodes;
using StageSet.LocalApiServer.FieldManagement;
using static StageSet.LocalApiServer.Tests.FieldManagement.Managed;

namespace StageSet.LocalApiServer.Tests.FieldManagement;

public class ApplyTests
{
    private readonly FieldManager _fm = TestSchemas.Manager();

    private const string TwoContainers = """
        {"replicas":2,"selector":{"matchLabels":{"app":"web"}},
         "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
           {"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox","args":["sleep","3600"]}]}}}
        """;

    [Fact]
    public void Create_records_one_apply_entry_with_the_fieldsv1_kube_apiserver_writes()
    {
        var created = _fm.Apply(null, Dep(TwoContainers), Apply("kubectl"));

        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"sidecar\"}":{".":{},"f:args":{},"f:image":{},"f:name":{}},"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""",
            Fields(created, "kubectl"));
        var entry = Assert.Single(Entries(created))!.AsObject();
        Assert.Equal(["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"], entry.Select(p => p.Key));
        Assert.Equal("apps/v1", (string?)entry["apiVersion"]);
        Assert.Equal("2024-01-02T03:04:05Z", (string?)entry["time"]);
        Assert.Equal("FieldsV1", (string?)entry["fieldsType"]);
        Assert.Equal("nginx:1.25", (string?)created["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public void Create_defaults_the_result_without_owning_the_defaults()
    {
        var request = Apply("kubectl") with { Allocation = new TestSchemas.NoAllocation() };

        var created = _fm.Apply(null, Dep("""{"replicas":2}"""), request);

        Assert.Equal(10, (int?)created["spec"]!["revisionHistoryLimit"]);
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}""", Fields(created, "kubectl"));
    }

    [Fact]
    public void Applying_the_same_configuration_twice_changes_nothing()
    {
        var first = _fm.Apply(null, Dep(TwoContainers), Apply("kubectl"));

        var second = _fm.Apply(first, Dep(TwoContainers), Apply("kubectl", TestSchemas.T0.AddMinutes(5)));

        JsonAssert.Equal(first.ToJsonString(), second);
    }

    [Fact]
    public void A_field_the_applier_drops_is_removed()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1","y":"2"}"""), Apply("a"));

        var result = _fm.Apply(live, Cm("""{"x":"1"}"""), Apply("a"));

        JsonAssert.Equal("""{"x":"1"}""", result["data"]);
        Assert.Equal("""{"f:data":{"f:x":{}}}""", Fields(result, "a"));
    }

    [Fact]
    public void A_dropped_field_another_applier_also_owns_stays_with_that_owner()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1","y":"2"}"""), Apply("a"));
        live = _fm.Apply(live, Cm("""{"y":"2"}"""), Apply("b"));

        var result = _fm.Apply(live, Cm("""{"x":"1"}"""), Apply("a"));

        JsonAssert.Equal("""{"x":"1","y":"2"}""", result["data"]);
        Assert.Equal("""{"f:data":{"f:x":{}}}""", Fields(result, "a"));
        Assert.Equal("""{"f:data":{"f:y":{}}}""", Fields(result, "b"));
    }

    [Fact]
    public void A_dropped_field_an_updater_changed_stays()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1","y":"2"}"""), Apply("a"));
        var edited = (JsonObject)live.DeepClone();
        edited["data"]!["y"] = "3";
        live = _fm.RecordUpdate(live, edited, Update("kubectl-edit", "v1"));

        var result = _fm.Apply(live, Cm("""{"x":"1"}"""), Apply("a"));

        JsonAssert.Equal("""{"x":"1","y":"3"}""", result["data"]);
        Assert.Equal("""{"f:data":{"f:y":{}}}""", Fields(result, "kubectl-edit", "Update"));
    }

    [Fact]
    public void A_dropped_struct_is_kept_while_another_manager_owns_something_below_it()
    {
        var live = _fm.Apply(null, Dep("""{"template":{"spec":{"securityContext":{"runAsUser":1000}}}}"""), Apply("a"));
        live = _fm.Apply(live, Dep("""{"template":{"spec":{"securityContext":{"runAsNonRoot":true}}}}"""), Apply("b"));

        var result = _fm.Apply(live, Dep("""{"replicas":1}"""), Apply("a"));

        JsonAssert.Equal("""{"runAsNonRoot":true}""", result["spec"]!["template"]!["spec"]!["securityContext"]);
    }

    [Fact]
    public void A_dropped_list_item_is_removed_and_the_others_keep_their_content()
    {
        var live = _fm.Apply(null, Dep(TwoContainers), Apply("a"));
        var oneContainer = TwoContainers.Replace(
            """,{"name":"sidecar","image":"busybox","args":["sleep","3600"]}""", "", StringComparison.Ordinal);

        var result = _fm.Apply(live, Dep(oneContainer), Apply("a"));

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web"], containers.Select(c => (string?)c!["name"]));
        Assert.DoesNotContain("sidecar", Fields(result, "a"), StringComparison.Ordinal);
    }

    [Fact]
    public void Fields_nobody_owns_are_never_removed()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));
        var edited = (JsonObject)live.DeepClone();
        edited["data"]!["unowned"] = "u";
        live = _fm.RecordUpdate(live, edited, Update("u", "v1"));
        var dropOwner = (JsonObject)live.DeepClone();
        dropOwner["metadata"]!["managedFields"] = new JsonArray(Entry(live, "a")!.DeepClone());
        live = _fm.RecordUpdate(live, dropOwner, Update("flux", "v1"));
        Assert.Equal(["a/Apply"], Managers(live));

        var result = _fm.Apply(live, Cm("""{"x":"2"}"""), Apply("a"));
        result = _fm.Apply(result, Cm("""{}"""), Apply("a"));

        JsonAssert.Equal("""{"unowned":"u"}""", result["data"]);
    }

    [Fact]
    public void Changing_a_field_another_manager_updated_conflicts_with_kube_wording()
    {
        var live = _fm.Apply(null, Dep("""{"replicas":2}"""), Apply("kubectl"));
        var patched = (JsonObject)live.DeepClone();
        patched["spec"]!["replicas"] = 5;
        live = _fm.RecordUpdate(live, patched, Update("kubectl-patch", "apps/v1"));

        var ex = Assert.Throws<ApplyConflictException>(() => _fm.Apply(live, Dep("""{"replicas":3}"""), Apply("kubectl")));

        Assert.Equal("""Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas""", ex.Message);
        var conflict = Assert.Single(ex.Conflicts);
        Assert.Equal(("FieldManagerConflict", "conflict with \"kubectl-patch\" using apps/v1", ".spec.replicas"), (conflict.Reason, conflict.Message, conflict.Field));
        Assert.Equal(409, ex.Code);
    }

    [Fact]
    public void Force_takes_the_field_and_the_patcher_loses_it()
    {
        var live = _fm.Apply(null, Dep("""{"replicas":2,"paused":false}"""), Apply("kubectl"));
        var patched = (JsonObject)live.DeepClone();
        patched["spec"]!["replicas"] = 5;
        patched["metadata"]!["labels"]!["tier"] = "x";
        live = _fm.RecordUpdate(live, patched, Update("kubectl-patch", "apps/v1"));

        var result = _fm.Apply(live, Dep("""{"replicas":3}"""), Apply("kubectl", force: true));

        Assert.Equal(3, (int?)result["spec"]!["replicas"]);
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:tier":{}}}}""", Fields(result, "kubectl-patch", "Update"));
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}""", Fields(result, "kubectl"));
    }

    [Fact]
    public void Equal_values_never_conflict_and_ownership_is_shared()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));

        var result = _fm.Apply(live, Cm("""{"x":"1"}"""), Apply("b"));

        Assert.Equal("""{"f:data":{"f:x":{}}}""", Fields(result, "a"));
        Assert.Equal("""{"f:data":{"f:x":{}}}""", Fields(result, "b"));
        Assert.Throws<ApplyConflictException>(() => _fm.Apply(result, Cm("""{"x":"2"}"""), Apply("b")));
    }

    [Fact]
    public void Several_conflicts_are_grouped_by_manager_in_sorted_order()
    {
        var live = _fm.Apply(null, Cm("""{"y":"1"}"""), Apply("b"));
        var edited = (JsonObject)live.DeepClone();
        edited["data"]!["x"] = "1";
        edited["data"]!["z"] = "1";
        live = _fm.RecordUpdate(live, edited, Update("a", "v1"));

        var ex = Assert.Throws<ApplyConflictException>(() => _fm.Apply(live, Cm("""{"x":"2","y":"2","z":"2"}"""), Apply("c")));

        Assert.Equal(
            "Apply failed with 3 conflicts: conflicts with \"a\" using v1:\n- .data.x\n- .data.z\nconflicts with \"b\":\n- .data.y",
            ex.Message);
        Assert.Equal([".data.x", ".data.z", ".data.y"], ex.Conflicts.Select(c => c.Field));
    }

    [Fact]
    public void A_status_subresource_owner_is_named_with_its_subresource()
    {
        var live = _fm.Apply(null, Dep("""{"replicas":1}"""), Apply("kubectl"));
        var withStatus = _fm.Apply(live, JsonAssert.Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps"},"status":{"replicas":1}}"""),
            Apply("ctrl", subresource: "status"));

        var ex = Assert.Throws<ApplyConflictException>(() => _fm.Apply(withStatus,
            JsonAssert.Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps"},"status":{"replicas":2}}"""),
            Apply("other", subresource: "status")));

        Assert.Equal("""Apply failed with 1 conflict: conflict with "ctrl" with subresource "status": .status.replicas""", ex.Message);
        Assert.Equal("status", (string?)Entry(withStatus, "ctrl")!["subresource"]);
    }

    [Fact]
    public void Status_is_never_owned_through_the_main_resource_and_only_status_through_the_subresource()
    {
        var config = Dep("""{"replicas":1}""");
        config["status"] = new JsonObject { ["replicas"] = 7 };

        var main = _fm.Apply(null, config, Apply("m"));
        var status = _fm.Apply(main, config, Apply("s", subresource: "status"));

        Assert.Equal("""{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{}}}""", Fields(main, "m"));
        Assert.Equal("""{"f:status":{"f:replicas":{}}}""", Fields(status, "s"));
    }

    [Fact]
    public void Applying_to_an_object_without_managed_fields_first_records_before_first_apply()
    {
        var live = Cm("""{"x":"1","y":"2"}""");

        var result = _fm.Apply(live, Cm("""{"x":"1"}"""), Apply("a", TestSchemas.T0.AddMinutes(1)));

        Assert.Equal(["a/Apply", "before-first-apply/Update"], Managers(result));
        Assert.Equal("""{"f:data":{".":{},"f:x":{},"f:y":{}}}""", Fields(result, "before-first-apply", "Update"));
        Assert.Equal("""{"f:data":{"f:x":{}}}""", Fields(result, "a"));
        Assert.Equal("v1", (string?)Entry(result, "before-first-apply", "Update")!["apiVersion"]);
    }

    [Fact]
    public void Map_lists_merge_by_key_in_the_configurations_order_and_keep_live_only_items_in_place()
    {
        var live = _fm.Apply(null, Widget("""{"ports":[{"port":1},{"port":2},{"port":3}]}"""), Apply("a"));
        var edited = (JsonObject)live.DeepClone();
        edited["spec"]!["ports"]!.AsArray().Insert(2, new JsonObject { ["port"] = 9 });
        live = _fm.RecordUpdate(live, edited, Update("u", "stable.example.com/v1"));

        var result = _fm.Apply(live, Widget("""{"ports":[{"port":3,"name":"three"},{"port":1},{"port":4},{"port":2}]}"""), Apply("a"));

        Assert.Equal([9, 3, 1, 4, 2], result["spec"]!["ports"]!.AsArray().Select(p => (int)p!["port"]!));
        Assert.Equal("three", (string?)result["spec"]!["ports"]![1]!["name"]);
    }

    [Fact]
    public void Sets_union_and_atomic_lists_replace()
    {
        var live = _fm.Apply(null, Widget("""{"tags":["a","b"],"steps":["1","2"]}"""), Apply("a"));

        var result = _fm.Apply(live, Widget("""{"tags":["c"],"steps":["3"]}"""), Apply("b", force: true));

        Assert.Equal(["a", "b", "c"], result["spec"]!["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(["3"], result["spec"]!["steps"]!.AsArray().Select(t => (string?)t));
        Assert.Equal("""{"f:spec":{"f:steps":{},"f:tags":{"v:\"c\"":{}}}}""", Fields(result, "b"));
        Assert.Equal("""{"f:spec":{"f:tags":{"v:\"a\"":{},"v:\"b\"":{}}}}""", Fields(result, "a"));
    }

    [Fact]
    public void Atomic_maps_are_replaced_whole_and_granular_maps_merge_by_key()
    {
        var live = _fm.Apply(null, Dep("""{"selector":{"matchLabels":{"app":"web","tier":"x"}}}""", """{"a":"1"}"""), Apply("a"));

        var result = _fm.Apply(live, Dep("""{"selector":{"matchLabels":{"app":"web"}}}""", """{"b":"2"}"""), Apply("b", force: true));

        JsonAssert.Equal("""{"matchLabels":{"app":"web"}}""", result["spec"]!["selector"]);
        JsonAssert.Equal("""{"a":"1","b":"2"}""", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Untyped_content_is_granular_for_maps_and_atomic_for_lists()
    {
        var created = _fm.Apply(null, Widget("""{"config":{"image":{"tag":"1","pull":["a"]},"x":1}}"""), Apply("a"));

        Assert.Equal(
            """{"f:spec":{"f:config":{"f:image":{".":{},"f:pull":{},"f:tag":{}},"f:x":{}}}}""",
            Fields(created, "a"));
    }

    [Fact]
    public void Embedded_resources_get_object_meta_semantics()
    {
        var created = _fm.Apply(null, Widget("""{"template":{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"a":"b"},"finalizers":["f"]}}}"""), Apply("a"));

        Assert.Equal(
            """{"f:spec":{"f:template":{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:finalizers":{"v:\"f\"":{}},"f:labels":{"f:a":{}}}}}}""",
            Fields(created, "a"));
    }

    [Fact]
    public void Null_drops_a_non_nullable_field_but_is_kept_where_the_schema_allows_it()
    {
        var live = _fm.Apply(null, Widget("""{"color":"red","nickname":"n","size":1}"""), Apply("a"));

        var result = _fm.Apply(live, Widget("""{"color":null,"nickname":null,"size":1}"""), Apply("a"));

        JsonAssert.Equal("""{"nickname":null,"size":1}""", result["spec"]);
        Assert.Equal("""{"f:spec":{"f:color":{},"f:nickname":{},"f:size":{}}}""", Fields(result, "a"));
    }

    [Fact]
    public void Wrong_version_is_a_bad_request()
    {
        var config = Dep("{}");
        config["apiVersion"] = "apps/v1beta1";

        var ex = Assert.Throws<InvalidApplyException>(() => _fm.Apply(null, config, Apply("a") with { Kind = TestSchemas.Deployment }));

        Assert.Equal((400, "BadRequest"), (ex.Code, ex.Reason));
        Assert.Equal("Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1", ex.Message);
    }

    [Fact]
    public void Managed_fields_in_the_configuration_are_a_bad_request()
    {
        var config = Cm("{}");
        config["metadata"]!["managedFields"] = new JsonArray();

        var ex = Assert.Throws<InvalidApplyException>(() => _fm.Apply(null, config, Apply("a")));

        Assert.Equal((400, "metadata.managedFields must be nil"), (ex.Code, ex.Message));
    }

    [Fact]
    public void Unknown_fields_fail_typing_with_a_reasonless_500()
    {
        var config = Dep("""{"foo":1}""");

        var ex = Assert.Throws<InvalidApplyException>(() => _fm.Apply(null, config, Apply("a")));

        Assert.Equal((500, (string?)null), (ex.Code, ex.Reason));
        Assert.Equal("failed to create typed patch object (apps/web; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema", ex.Message);
    }

    [Fact]
    public void Several_typing_errors_are_listed_and_core_kinds_keep_the_slash()
    {
        var config = Cm("""{"x":1}""");
        config["bogus"] = true;

        var ex = Assert.Throws<InvalidApplyException>(() => _fm.Apply(null, config, Apply("a")));

        Assert.Equal(
            "failed to create typed patch object (apps/c; /v1, Kind=ConfigMap): errors:\n  .data.x: expected string, got 1\n  .bogus: field not declared in schema",
            ex.Message);
    }

    [Theory]
    [InlineData("""{"replicas":"three"}""", ".spec.replicas: expected numeric (int or float), got string")]
    [InlineData("""{"template":{"spec":{"containers":[{"name":"a"},{"name":"a"}]}}}""", """.spec.template.spec.containers: duplicate entries for key [name="a"]""")]
    [InlineData("""{"template":{"spec":{"containers":[{"image":"x"}]}}}""", """.spec.template.spec.containers: associative list with keys has an element that omits key field "name" (and doesn't have default value)""")]
    [InlineData("""{"template":"x"}""", ".spec.template: expected map, got \"x\"")]
    public void Type_errors_name_the_field(string spec, string expected)
    {
        var ex = Assert.Throws<InvalidApplyException>(() => _fm.Apply(null, Dep(spec), Apply("a")));

        Assert.EndsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_resources_without_status_subresource_own_status_as_content()
    {
        var config = Widget("""{"size":1}""");
        config["status"] = new JsonObject { ["phase"] = "x" };

        var created = _fm.Apply(null, config, Apply("a") with { StatusIsSubresource = false });

        Assert.Equal("""{"f:spec":{"f:size":{}},"f:status":{"f:phase":{}}}""", Fields(created, "a"));
    }

    [Fact]
    public void Inputs_are_never_modified()
    {
        var live = _fm.Apply(null, Dep(TwoContainers), Apply("a"));
        var liveText = live.ToJsonString();
        var config = Dep("""{"replicas":9}""");
        var configText = config.ToJsonString();

        _fm.Apply(live, config, Apply("b", force: true));

        Assert.Equal(liveText, live.ToJsonString());
        Assert.Equal(configText, config.ToJsonString());
    }
}
