using System.Text.Json.Nodes;
using StageSet.Controller.Runtime;
using StageSet.Manifests;

namespace StageSet.Controller.Tests.Runtime;

public sealed class SourceIndexTests
{
    private static JsonObject StageSet(string ns, string name, params string[] refs) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["stages"] = new JsonArray([.. refs.Select((r, i) =>
            {
                var parts = r.Split(':');
                var sourceRef = new JsonObject { ["name"] = parts[^1] };
                if (parts.Length > 1)
                {
                    sourceRef["kind"] = parts[0];
                }

                if (parts.Length > 2)
                {
                    sourceRef["kind"] = parts[1];
                    sourceRef["apiVersion"] = parts[0];
                }

                return (JsonNode)new JsonObject { ["name"] = "s" + i, ["sourceRef"] = sourceRef };
            })]),
        },
    };

    private static readonly GroupKind Ea = new("source.toolkit.fluxcd.io", "ExternalArtifact");

    [Fact]
    public void A_changed_source_wakes_exactly_the_stagesets_in_its_namespace_that_reference_it()
    {
        var index = new SourceIndex();
        index.Set(new ObjectKey("a", "one"), StageSetWatchPlan.Sources(StageSet("a", "one", "app")));
        index.Set(new ObjectKey("a", "two"), StageSetWatchPlan.Sources(StageSet("a", "two", "app", "GitRepository:repo")));
        index.Set(new ObjectKey("b", "three"), StageSetWatchPlan.Sources(StageSet("b", "three", "app")));

        Assert.Equal([new ObjectKey("a", "one"), new ObjectKey("a", "two")],
            index.Referencing(Ea, "a", "app").OrderBy(k => k.Name));
        Assert.Equal([new ObjectKey("a", "two")],
            index.Referencing(new GroupKind("source.toolkit.fluxcd.io", "GitRepository"), "a", "repo"));
        Assert.Empty(index.Referencing(Ea, "a", "other"));
    }

    [Fact]
    public void Replacing_and_removing_a_stageset_updates_what_it_is_woken_by()
    {
        var index = new SourceIndex();
        var key = new ObjectKey("a", "one");
        index.Set(key, StageSetWatchPlan.Sources(StageSet("a", "one", "old")));
        index.Set(key, StageSetWatchPlan.Sources(StageSet("a", "one", "new")));

        Assert.Empty(index.Referencing(Ea, "a", "old"));
        Assert.Equal([key], index.Referencing(Ea, "a", "new"));
        index.Remove(key);
        Assert.Empty(index.Referencing(Ea, "a", "new"));
    }

    [Fact]
    public void New_kinds_are_reported_once_so_their_watch_starts_lazily()
    {
        var index = new SourceIndex();

        var first = index.Set(new ObjectKey("a", "one"),
            StageSetWatchPlan.Sources(StageSet("a", "one", "jaas.metio.wtf/v1:JsonnetSnippet:snip")));
        var second = index.Set(new ObjectKey("a", "two"),
            StageSetWatchPlan.Sources(StageSet("a", "two", "jaas.metio.wtf/v1:JsonnetSnippet:other")));

        Assert.Equal([new GroupVersionKind("jaas.metio.wtf", "v1", "JsonnetSnippet")], first);
        Assert.Empty(second);
    }

    [Fact]
    public void An_external_artifact_names_the_producer_it_points_back_to()
    {
        var ea = JsonNode.Parse("""{"spec":{"sourceRef":{"apiVersion":"jaas.metio.wtf/v1","kind":"JsonnetSnippet","name":"snip"}}}""")!.AsObject();

        Assert.Equal((new GroupKind("jaas.metio.wtf", "JsonnetSnippet"), "snip"), StageSetWatchPlan.ProducerOf(ea));
        Assert.Null(StageSetWatchPlan.ProducerOf(new JsonObject()));
    }

    [Fact]
    public void Only_spec_metadata_changes_need_a_reconcile_not_status_writes()
    {
        var before = JsonNode.Parse("""{"metadata":{"generation":1,"annotations":{"a":"1"}},"status":{"x":1}}""")!.AsObject();
        var statusOnly = JsonNode.Parse("""{"metadata":{"generation":1,"annotations":{"a":"1"}},"status":{"x":2}}""")!.AsObject();
        var requested = JsonNode.Parse("""{"metadata":{"generation":1,"annotations":{"a":"2"}}}""")!.AsObject();

        Assert.False(StageSetWatchPlan.NeedsReconcile(before, statusOnly));
        Assert.True(StageSetWatchPlan.NeedsReconcile(before, requested));
    }
}
