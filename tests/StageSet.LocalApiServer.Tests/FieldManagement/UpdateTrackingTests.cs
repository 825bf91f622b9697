using System.Text.Json.Nodes;
using StageSet.LocalApiServer.FieldManagement;
using static StageSet.LocalApiServer.Tests.FieldManagement.Managed;

namespace StageSet.LocalApiServer.Tests.FieldManagement;

public class UpdateTrackingTests
{
    private readonly FieldManager _fm = TestSchemas.Manager();

    private const string DefaultedSpec = """
        {"replicas":1,"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"web"}},
         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
         "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
           {"name":"web","image":"nginx","terminationMessagePath":"/dev/termination-log"}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst"}}}
        """;

    [Fact]
    public void Post_created_deployment_owns_its_defaults_and_marks_only_new_maps()
    {
        var created = _fm.RecordUpdate(null, Dep(DefaultedSpec), Update("kubectl-create", "apps/v1"));

        Assert.Equal(
            """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:terminationMessagePath":{}}},"f:dnsPolicy":{},"f:restartPolicy":{}}}}}""",
            Fields(created, "kubectl-create", "Update"));
        var entry = Entry(created, "kubectl-create", "Update")!;
        Assert.Equal("apps/v1", (string?)entry["apiVersion"]);
        Assert.Null(entry["subresource"]);
    }

    [Fact]
    public void Ssa_created_deployment_does_not_own_defaults_that_a_post_would()
    {
        var applied = _fm.Apply(null, Dep("""{"replicas":1}"""), Apply("kubectl") with { Allocation = new TestSchemas.NoAllocation() });
        var posted = _fm.RecordUpdate(null, Dep("""{"replicas":1,"revisionHistoryLimit":10}"""), Update("kubectl-create", "apps/v1"));

        Assert.DoesNotContain("revisionHistoryLimit", Fields(applied, "kubectl"), StringComparison.Ordinal);
        Assert.Contains("f:revisionHistoryLimit", Fields(posted, "kubectl-create", "Update"), StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_resource_update_entries_mark_spec_as_new()
    {
        var created = _fm.RecordUpdate(null, Widget("""{"size":1,"tags":["a"]}"""), Update("kubectl-create", "stable.example.com/v1"));

        Assert.Equal("""{"f:spec":{".":{},"f:size":{},"f:tags":{".":{},"v:\"a\"":{}}}}""", Fields(created, "kubectl-create", "Update"));
    }

    [Fact]
    public void Changed_fields_move_to_the_updater_and_removed_fields_leave_every_manager()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1","y":"2","z":"3"}"""), Apply("a"));
        live = _fm.Apply(live, Cm("""{"z":"3"}"""), Apply("b"));
        var edited = (JsonObject)live.DeepClone();
        edited["data"]!["x"] = "changed";
        edited["data"]!.AsObject().Remove("z");

        var result = _fm.RecordUpdate(live, edited, Update("kubectl-edit", "v1", TestSchemas.T0.AddMinutes(1)));

        Assert.Equal("""{"f:data":{"f:y":{}}}""", Fields(result, "a"));
        Assert.Null(Entry(result, "b"));
        Assert.Equal("""{"f:data":{"f:x":{}}}""", Fields(result, "kubectl-edit", "Update"));
    }

    [Fact]
    public void The_updaters_time_moves_only_when_it_gains_fields()
    {
        var live = _fm.RecordUpdate(null, Cm("""{"x":"1"}"""), Update("u", "v1"));
        var unchanged = _fm.RecordUpdate(live, (JsonObject)live.DeepClone(), Update("u", "v1", TestSchemas.T0.AddHours(1)));
        var edited = (JsonObject)live.DeepClone();
        edited["data"]!["x"] = "2";
        var changed = _fm.RecordUpdate(live, edited, Update("u", "v1", TestSchemas.T0.AddHours(2)));

        Assert.Equal("2024-01-02T03:04:05Z", (string?)Entry(unchanged, "u", "Update")!["time"]);
        Assert.Equal("2024-01-02T05:04:05Z", (string?)Entry(changed, "u", "Update")!["time"]);
    }

    [Fact]
    public void A_write_that_changes_nothing_creates_no_entry()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));

        var result = _fm.RecordUpdate(live, (JsonObject)live.DeepClone(), Update("other", "v1"));

        Assert.Equal(["a/Apply"], Managers(result));
    }

    [Fact]
    public void Entries_sort_apply_first_then_by_time_manager_and_version()
    {
        var live = _fm.RecordUpdate(null, Cm("""{"a":"1"}"""), Update("zz", "v1", TestSchemas.T0));
        live = _fm.Apply(live, Cm("""{"b":"1"}"""), Apply("late", TestSchemas.T0.AddMinutes(9)));
        live = _fm.Apply(live, Cm("""{"c":"1"}"""), Apply("early", TestSchemas.T0.AddMinutes(1)));
        var edited = (JsonObject)live.DeepClone();
        edited["data"]!["d"] = "1";
        live = _fm.RecordUpdate(live, edited, Update("aa", "v1", TestSchemas.T0));

        Assert.Equal(["early/Apply", "late/Apply", "aa/Update", "zz/Update"], Managers(live));
    }

    [Fact]
    public void More_than_ten_updaters_fold_the_oldest_into_ancient_changes()
    {
        var live = Cm("{}");
        live = _fm.RecordUpdate(null, live, Update("m00", "v1"));
        for (var i = 1; i <= 11; i++)
        {
            var edited = (JsonObject)live.DeepClone();
            edited["data"]![$"k{i:00}"] = "v";
            live = _fm.RecordUpdate(live, edited, Update($"m{i:00}", "v1", TestSchemas.T0.AddMinutes(i)));
        }

        var updaters = Managers(live);
        Assert.Equal(10, updaters.Length);
        Assert.Equal("ancient-changes/Update", updaters[0]);
        Assert.Equal("""{"f:data":{".":{},"f:k01":{},"f:k02":{}}}""", Fields(live, "ancient-changes", "Update"));
        Assert.Equal("2024-01-02T03:06:05Z", (string?)Entry(live, "ancient-changes", "Update")!["time"]);
        Assert.Equal("m03/Update", updaters[1]);
    }

    [Fact]
    public void A_valid_managed_fields_list_from_the_client_replaces_the_stored_one()
    {
        var live = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));
        live = _fm.Apply(live, Cm("""{"y":"1"}"""), Apply("kubectl-client-side-apply"));
        var dropped = (JsonObject)live.DeepClone();
        dropped["metadata"]!["managedFields"] = new JsonArray(Entry(live, "a")!.DeepClone());

        var result = _fm.RecordUpdate(live, dropped, Update("flux", "v1"));

        Assert.Equal(["a/Apply"], Managers(result));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{}]")]
    public void An_empty_list_or_one_empty_entry_clears_managed_fields(string list)
    {
        var live = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));
        var cleared = (JsonObject)live.DeepClone();
        cleared["metadata"]!["managedFields"] = JsonNode.Parse(list);

        var result = _fm.RecordUpdate(live, cleared, Update("flux", "v1"));

        Assert.Null(result["metadata"]!["managedFields"]);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""[{"manager":"x","operation":"Delete","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{}}]""")]
    [InlineData("""[{"manager":"x","operation":"Apply","fieldsType":"FieldsV1","fieldsV1":{}}]""")]
    [InlineData("""[{"manager":"x","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV2","fieldsV1":{}}]""")]
    [InlineData("""[{"manager":"x","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"bad":{}}}]""")]
    public void Absent_or_undecodable_managed_fields_keep_the_stored_ones(string list)
    {
        var live = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));
        var edited = (JsonObject)live.DeepClone();
        edited["metadata"]!["managedFields"] = JsonNode.Parse(list);

        var result = _fm.RecordUpdate(live, edited, Update("flux", "v1"));

        Assert.Equal(["a/Apply"], Managers(result));
    }

    [Fact]
    public void Managed_fields_sent_to_a_subresource_are_ignored()
    {
        var live = _fm.Apply(null, Dep("""{"replicas":1}"""), Apply("a"));
        var edited = (JsonObject)live.DeepClone();
        edited["metadata"]!["managedFields"] = new JsonArray();
        edited["status"] = new JsonObject { ["replicas"] = 1 };

        var result = _fm.RecordUpdate(live, edited, Update("ctrl", "apps/v1", subresource: "status"));

        Assert.Equal(["a/Apply", "ctrl/Update"], Managers(result));
        Assert.Equal("""{"f:status":{"f:replicas":{}}}""", Fields(result, "ctrl", "Update"));
        Assert.Equal("status", (string?)Entry(result, "ctrl", "Update")!["subresource"]);
    }

    [Fact]
    public void Main_resource_updates_never_take_status()
    {
        var live = _fm.Apply(null, Dep("""{"replicas":1}"""), Apply("a"));
        var edited = (JsonObject)live.DeepClone();
        edited["status"] = new JsonObject { ["replicas"] = 1 };
        edited["spec"]!["paused"] = true;

        var result = _fm.RecordUpdate(live, edited, Update("u", "apps/v1"));

        Assert.Equal("""{"f:spec":{"f:paused":{}}}""", Fields(result, "u", "Update"));
    }

    [Fact]
    public void Update_result_is_a_copy_of_the_written_object()
    {
        var body = Cm("""{"x":"1"}""");
        var text = body.ToJsonString();

        var result = _fm.RecordUpdate(null, body, Update("u", "v1"));

        Assert.Equal(text, body.ToJsonString());
        result.Remove("metadata");
        body.Remove("metadata");
        JsonAssert.Equal(body.ToJsonString(), result);
    }
}
