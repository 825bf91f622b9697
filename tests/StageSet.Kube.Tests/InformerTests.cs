using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Faults;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Kube.Tests;

[Collection(ClusterCollection.Name)]
public sealed class InformerTests(TestCluster cluster)
{
    private static readonly GroupVersionKind ConfigMap = new("", "v1", "ConfigMap");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static JsonObject Cm(string ns, string name, string value) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = new JsonObject { ["k"] = value },
    };

    private static string Value(JsonObject? cm) => cm?["data"]?["k"]?.GetValue<string>() ?? "";

    [Fact]
    public async Task Lists_once_then_follows_adds_updates_and_deletes_through_the_watch()
    {
        var ns = await cluster.CreateNamespaceAsync("inf");
        await cluster.Client.CreateAsync(Cm(ns, "before", "1"), default);
        var events = new ConcurrentQueue<(InformerEventType Type, string Name)>();
        await using var informer = new Informer(cluster.Client, ConfigMap, new InformerOptions { Namespaces = [ns] });
        informer.Subscribe(e => events.Enqueue((e.Type, KubeObject.Name(e.Object))));
        informer.Start();
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Deadline);

        await cluster.Client.CreateAsync(Cm(ns, "after", "1"), default);
        await cluster.Client.PatchAsync(ConfigMap, ns, "before", Kube.PatchKind.Merge, """{"data":{"k":"2"}}""", default);
        await cluster.Client.DeleteAsync(ConfigMap, ns, "after", default);
        await TestCluster.EventuallyAsync(() => Task.FromResult(events.Count >= 4), Deadline, "four informer events");

        Assert.Equal(
            [(InformerEventType.Added, "before"), (InformerEventType.Added, "after"), (InformerEventType.Modified, "before"),
             (InformerEventType.Deleted, "after")],
            events.ToArray());
        Assert.Equal("2", Value(informer.Get(ns, "before")));
        Assert.Null(informer.Get(ns, "after"));
        Assert.Equal(1, informer.ListCount);
    }

    [Fact]
    public async Task A_dropped_watch_resumes_from_the_last_resource_version_without_relisting()
    {
        if (cluster.Server is not { } server)
        {
            return; // Needs control over the server's watches.
        }

        var ns = await cluster.CreateNamespaceAsync("drop");
        var events = new ConcurrentQueue<string>();
        await using var informer = new Informer(cluster.Client, ConfigMap, new InformerOptions { Namespaces = [ns] });
        informer.Subscribe(e => events.Enqueue(e.Type + ":" + KubeObject.Name(e.Object) + "=" + Value(e.Object)));
        informer.Start();
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Deadline);
        var watchMatch = new RequestMatch { Verb = "watch", Namespace = ns, Resource = "configmaps" };
        await TestCluster.EventuallyAsync(() => Task.FromResult(server.OpenWatches(watchMatch) == 1), Deadline, "the watch");

        server.CloseWatches(watchMatch);
        await cluster.Client.CreateAsync(Cm(ns, "a", "1"), default);
        await TestCluster.EventuallyAsync(() => Task.FromResult(informer.Get(ns, "a") is not null), Deadline, "the add after the drop");

        Assert.Equal(1, informer.ListCount);
        Assert.True(informer.WatchCount >= 2);
        Assert.Equal(["Added:a=1"], events.ToArray()); // nothing duplicated by the resume
    }

    [Fact]
    public async Task Expired_history_forces_a_relist_that_still_converges()
    {
        if (cluster.Server is not { } server)
        {
            return; // Needs compaction.
        }

        var ns = await cluster.CreateNamespaceAsync("gone");
        await cluster.Client.CreateAsync(Cm(ns, "a", "1"), default);
        await using var informer = new Informer(cluster.Client, ConfigMap, new InformerOptions { Namespaces = [ns] });
        informer.Start();
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Deadline);
        var watchMatch = new RequestMatch { Verb = "watch", Namespace = ns, Resource = "configmaps" };
        await TestCluster.EventuallyAsync(() => Task.FromResult(server.OpenWatches(watchMatch) == 1), Deadline, "the watch");

        // Changes while the history is compacted away: the resumed watch gets 410 and must relist to see them.
        using (server.Faults.Add(new FaultRule(watchMatch, FaultTrigger.Always, FaultAction.Watch(new WatchFault { InjectExpired = true }))))
        {
            server.CloseWatches(watchMatch);
            await cluster.Client.PatchAsync(ConfigMap, ns, "a", Kube.PatchKind.Merge, """{"data":{"k":"2"}}""", default);
            await cluster.Client.CreateAsync(Cm(ns, "b", "1"), default);
            server.CompactTo(server.CurrentResourceVersion);
            await TestCluster.EventuallyAsync(() => Task.FromResult(informer.ListCount >= 2), Deadline, "a relist");
        }

        await TestCluster.EventuallyAsync(
            () => Task.FromResult(Value(informer.Get(ns, "a")) == "2" && informer.Get(ns, "b") is not null), Deadline,
            "the cache to converge");
    }

    [Fact]
    public async Task A_kind_that_is_not_served_yet_syncs_once_its_crd_appears()
    {
        var group = "informer" + Guid.NewGuid().ToString("N")[..6] + ".example.com";
        var kind = new GroupVersionKind(group, "v1", "Widget");
        await using var informer = new Informer(cluster.Client, kind,
            new InformerOptions { MaxBackoff = TimeSpan.FromMilliseconds(200) });
        informer.Start();
        await TestCluster.EventuallyAsync(() => Task.FromResult(informer.KindUnavailable), Deadline, "kind unavailable");
        Assert.False(informer.HasSynced);

        await new ServerSideApplier(cluster.Client).ApplyBatchesAsync([[Crds.Widget(group)]], default);

        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.False(informer.KindUnavailable);
    }
}
