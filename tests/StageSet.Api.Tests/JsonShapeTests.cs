using System.Text.Json.Nodes;
using StageSet.Api;

namespace StageSet.Api.Tests;

public class JsonShapeTests
{
    [Fact]
    public void Optional_empties_are_omitted_like_go_omitempty()
    {
        var stage = new Stage
        {
            Name = "app",
            SourceRef = new SourceReference { Name = "a", Kind = "" },
            Path = "",
            Force = false,
            Prune = false,
            Patches = [],
            Timeout = null,
        };
        Assert.Equal("""{"name":"app","sourceRef":{"name":"a"},"prune":false}""", StageSetJson.Serialize(stage));
    }

    [Fact]
    public void Required_fields_are_written_even_when_empty()
    {
        Assert.Equal("""{"name":"","sourceRef":{"name":""}}""", StageSetJson.Serialize(new Stage()));
        Assert.Equal("""{"id":"","v":""}""", StageSetJson.Serialize(new InventoryEntry()));
    }

    [Fact]
    public void Whole_object_has_type_meta_first_and_no_status_unless_set()
    {
        var s = new StageSet
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "apps" },
            Spec = new StageSetSpec { Stages = [new Stage { Name = "web", SourceRef = new SourceReference { Name = "web" } }] },
        };
        Assert.Equal(
            """{"apiVersion":"stages.metio.wtf/v1","kind":"StageSet","metadata":{"name":"web","namespace":"apps"},"spec":{"stages":[{"name":"web","sourceRef":{"name":"web"}}]}}""",
            StageSetJson.Serialize(s));
    }

    [Fact]
    public void Times_are_rfc3339_utc_seconds()
    {
        var window = StageSetJson.Deserialize<UpdateWindow>("""{"type":"Deny","from":"2026-12-24T01:30:00.250+01:00","to":"2026-12-27T00:00:00Z"}""");
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 0, 30, 0, 250, TimeSpan.Zero), window.From);
        Assert.Equal("""{"type":"Deny","from":"2026-12-24T00:30:00Z","to":"2026-12-27T00:00:00Z"}""", StageSetJson.Serialize(window));
        var e = Assert.Throws<ApiFormatException>(() => StageSetJson.Deserialize<UpdateWindow>("""{"type":"Deny","from":"24.12.2026"}"""));
        Assert.Equal("from", e.Field);
        Assert.Contains("RFC 3339", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_have_the_metav1_shape()
    {
        var status = new StageSetStatus
        {
            ObservedGeneration = 3,
            Conditions =
            [
                new Condition
                {
                    Type = ConditionTypes.Ready, Status = ConditionStatus.False, ObservedGeneration = 3, Reason = ReadyReasons.StageFailed,
                    Message = "", LastTransitionTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
                },
            ],
        };
        Assert.Equal(
            """{"conditions":[{"type":"Ready","status":"False","observedGeneration":3,"lastTransitionTime":"2026-01-02T03:04:05Z","reason":"StageFailed","message":""}],"observedGeneration":3}""",
            StageSetJson.Serialize(status));
        Assert.Equal("StageFailed", status.ReadyCondition()!.Reason);
    }

    [Fact]
    public void String_maps_are_written_with_sorted_keys()
    {
        var postBuild = new PostBuild { Substitute = new Dictionary<string, string> { ["zone"] = "b", ["app"] = "a" } };
        Assert.Equal("""{"substitute":{"app":"a","zone":"b"}}""", StageSetJson.Serialize(postBuild));
    }

    [Fact]
    public void Metadata_keeps_unknown_fields_and_managed_fields()
    {
        const string json = """{"name":"n","selfLink":"/x","managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}],"labels":{"a":"b"}}""";
        var meta = StageSetJson.Deserialize<ObjectMeta>(json);
        Assert.Equal("b", meta.Label("a"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(StageSetJson.Serialize(meta))));
    }

    [Fact]
    public void Pending_migrations_read_both_seed_names_and_objects()
    {
        var status = StageSetJson.Deserialize<StageSetStatus>("""{"pendingMigrations":["backfill",{"name":"b","to":"2.0.0","actions":["job"]}]}""");
        Assert.Equal("backfill", status.PendingMigrations![0].Name);
        Assert.Equal(["job"], status.PendingMigrations[1].Actions!);
        Assert.Equal("""{"pendingMigrations":[{"name":"backfill","to":""},{"name":"b","to":"2.0.0","actions":["job"]}]}""", StageSetJson.Serialize(status));
    }

    [Fact]
    public void Wrong_shapes_name_the_field()
    {
        var e = Assert.Throws<ApiFormatException>(() => StageSetJson.Deserialize<StageSet>("""{"spec":{"stages":[{"name":"a","prune":"yes"}]}}"""));
        Assert.Equal("spec.stages[0].prune", e.Field);
    }

    [Fact]
    public void Effective_defaults_are_computed_not_stored()
    {
        var stage = new Stage { Name = "a", SourceRef = new SourceReference { Name = "x" } };
        Assert.True(stage.EffectivePrune);
        Assert.Equal("ExternalArtifact", stage.SourceRef.EffectiveKind);
        Assert.Equal("source.toolkit.fluxcd.io/v1", stage.SourceRef.EffectiveApiVersion);
        Assert.False(stage.SourceRef.IsProducer);
        Assert.True(new SourceReference { Kind = "JsonnetSnippet", ApiVersion = "jaas.metio.wtf/v1" }.IsProducer);
        Assert.Equal("apps", stage.SourceRef.EffectiveNamespace("apps"));
        Assert.Equal("Revision", new StageAction { Name = "a" }.EffectiveScope);
        Assert.Equal("""{"name":"a","sourceRef":{"name":"x"}}""", StageSetJson.Serialize(stage));
    }
}
