using System.Text.Json.Nodes;
using StageSet.LocalApiServer.FieldManagement;
using static StageSet.LocalApiServer.Tests.FieldManagement.Managed;

namespace StageSet.LocalApiServer.Tests.FieldManagement;

public class MigrationAndTimestampTests
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";
    private readonly FieldManager _fm = TestSchemas.Manager();

    /// <summary>A ConfigMap as <c>kubectl apply</c> (client-side) leaves it: annotation plus an Update entry.</summary>
    private JsonObject ClientSideApplied()
    {
        var cm = Cm("""{"x":"1","y":"2"}""");
        cm["metadata"]!["annotations"] = new JsonObject
        {
            [LastApplied] = """{"apiVersion":"v1","data":{"x":"1"},"kind":"ConfigMap","metadata":{"name":"c","namespace":"apps"}}""",
        };
        return _fm.RecordUpdate(null, cm, Update("kubectl-client-side-apply", "v1"));
    }

    [Fact]
    public void Kubectl_takes_over_fields_of_its_last_client_side_apply_without_conflict()
    {
        var result = _fm.Apply(ClientSideApplied(), Cm("""{"x":"2"}"""), Apply("kubectl"));

        Assert.Equal("2", (string?)result["data"]!["x"]);
        Assert.Equal("""{"f:data":{"f:x":{}}}""", Fields(result, "kubectl"));
        Assert.DoesNotContain("f:x", Fields(result, "kubectl-client-side-apply", "Update"), StringComparison.Ordinal);
        Assert.Equal(
            """{"apiVersion":"v1","data":{"x":"2"},"kind":"ConfigMap","metadata":{"name":"c","namespace":"apps"}}""" + "\n",
            (string?)result["metadata"]!["annotations"]![LastApplied]);
    }

    [Fact]
    public void Other_managers_still_conflict_on_client_side_applied_fields()
    {
        Assert.Throws<ApplyConflictException>(() => _fm.Apply(ClientSideApplied(), Cm("""{"x":"2"}"""), Apply("flux")));
    }

    [Fact]
    public void Fields_outside_the_last_applied_configuration_still_conflict_and_only_they_are_reported()
    {
        var ex = Assert.Throws<ApplyConflictException>(() => _fm.Apply(ClientSideApplied(), Cm("""{"x":"2","y":"3"}"""), Apply("kubectl")));

        Assert.Equal("""Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.y""", ex.Message);
    }

    [Fact]
    public void Kubectl_does_not_add_the_annotation_to_objects_without_it()
    {
        var result = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("kubectl"));

        Assert.Null(result["metadata"]!["annotations"]);
    }

    [Fact]
    public void Time_only_changes_to_managed_fields_are_reverted()
    {
        var stored = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));
        var retimed = (JsonObject)stored.DeepClone();
        retimed["metadata"]!["managedFields"]![0]!["time"] = "2030-01-01T00:00:00Z";

        var restored = ManagedFieldsTimestamps.RestoreIfOnlyTimesChanged(stored, retimed);

        JsonAssert.Equal(stored.ToJsonString(), restored);
    }

    [Fact]
    public void Real_changes_keep_their_new_times()
    {
        var stored = _fm.Apply(null, Cm("""{"x":"1"}"""), Apply("a"));
        var changed = (JsonObject)stored.DeepClone();
        changed["metadata"]!["managedFields"]![0]!["time"] = "2030-01-01T00:00:00Z";
        changed["data"]!["x"] = "2";

        Assert.Same(changed, ManagedFieldsTimestamps.RestoreIfOnlyTimesChanged(stored, changed));
    }
}
