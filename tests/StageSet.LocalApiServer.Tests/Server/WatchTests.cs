using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using StageSet.LocalApiServer.Faults;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>Watch semantics (api-server.md §4) through the KubernetesClient library and raw HTTP.</summary>
public sealed class WatchTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watch_from_the_list_resourceVersion_sees_exactly_the_later_writes_in_order()
    {
        var ns = await fx.NamespaceAsync();
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("before"), ns);
        var list = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        using var cts = new CancellationTokenSource(Deadline);
        var events = Collect(fx.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token), cts.Token);

        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("a"), ns);
        var b = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("b"), ns);
        b.Data = new Dictionary<string, string> { ["k"] = "v" };
        await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(b, "b", ns);
        await fx.Client.CoreV1.DeleteNamespacedConfigMapAsync("a", ns);

        var seen = await Take(events, 4, cts.Token);
        Assert.Equal(["Added a", "Added b", "Modified b", "Deleted a"], seen.Select(e => $"{e.Type} {e.Object.Metadata.Name}"));
        var rvs = seen.Select(e => long.Parse(e.Object.Metadata.ResourceVersion)).ToList();
        Assert.Equal(rvs.Order(), rvs);
    }

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_synthetic_added_events()
    {
        var ns = await fx.NamespaceAsync();
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("x"), ns);
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("y"), ns);
        using var cts = new CancellationTokenSource(Deadline);
        var events = Collect(fx.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, cancellationToken: cts.Token), cts.Token);
        var seen = await Take(events, 2, cts.Token);
        Assert.Equal(["Added x", "Added y"], seen.Select(e => $"{e.Type} {e.Object.Metadata.Name}"));
    }

    [Fact]
    public async Task Relabelling_out_of_the_selector_is_a_deleted_event_and_back_in_an_added_event()
    {
        var ns = await fx.NamespaceAsync();
        var cm = Cm("c");
        cm.Metadata.Labels = new Dictionary<string, string> { ["app"] = "x" };
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        using var cts = new CancellationTokenSource(Deadline);
        var events = Collect(fx.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, labelSelector: "app=x",
            resourceVersion: created.Metadata.ResourceVersion, cancellationToken: cts.Token), cts.Token);
        created.Metadata.Labels["app"] = "y";
        var moved = await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", ns);
        moved.Metadata.Labels["app"] = "x";
        await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(moved, "c", ns);
        var seen = await Take(events, 2, cts.Token);
        Assert.Equal(WatchEventType.Deleted, seen[0].Type);
        Assert.Equal("y", seen[0].Object.Metadata.Labels["app"]);
        Assert.Equal(WatchEventType.Added, seen[1].Type);
    }

    [Fact]
    public async Task Compacted_resourceVersion_gives_an_error_event_410_and_the_stream_ends()
    {
        var ns = await fx.NamespaceAsync();
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("c"), ns);
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("d"), ns);
        fx.Server.CompactTo(fx.Server.CurrentResourceVersion);
        var response = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={created.Metadata.ResourceVersion}");
        Assert.Equal(200, response.Code);
        var line = Assert.Single(response.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var e = JsonNode.Parse(line)!;
        Assert.Equal("ERROR", (string?)e["type"]);
        Assert.Equal(410, (int)e["object"]!["code"]!);
        Assert.Equal("Expired", (string?)e["object"]!["reason"]);
        Assert.Equal($"too old resource version: {created.Metadata.ResourceVersion} ({fx.Server.CurrentResourceVersion})", (string?)e["object"]!["message"]);
    }

    [Fact]
    public async Task Client_sees_410_through_OnError_and_relists()
    {
        var ns = await fx.NamespaceAsync();
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("c"), ns);
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("d"), ns);
        fx.Server.CompactTo(fx.Server.CurrentResourceVersion);
        var errors = Channel.CreateUnbounded<Exception>();
        using var cts = new CancellationTokenSource(Deadline);
        var watch = fx.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns,
            resourceVersion: created.Metadata.ResourceVersion, onError: e => errors.Writer.TryWrite(e), cancellationToken: cts.Token);
        await foreach (var _ in watch)
        {
            Assert.Fail("no event expected from an expired resourceVersion");
        }

        var error = await errors.Reader.ReadAsync(cts.Token);
        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);

        var relist = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Equal(2, relist.Items.Count);
    }

    [Fact]
    public async Task Watch_closed_by_a_fault_after_one_event_resumes_from_the_last_resourceVersion_without_duplicates()
    {
        var ns = await fx.NamespaceAsync();
        var list = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        using var rule = fx.Server.Faults.Add(new FaultRule(new RequestMatch { Verb = "watch", Resource = "configmaps", Namespace = ns },
            FaultTrigger.First(1), FaultAction.Watch(new WatchFault { CloseAfterEvents = 1 })));
        using var cts = new CancellationTokenSource(Deadline);
        var first = Collect(fx.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token), cts.Token);
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("a"), ns);
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("b"), ns);
        var got = await Take(first, 1, cts.Token);
        Assert.Equal("a", got[0].Object.Metadata.Name);
        Assert.False(await first.WaitToReadAsync(cts.Token), "the faulted watch should end after one event");

        var resumed = Collect(fx.Client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: got[0].Object.Metadata.ResourceVersion, cancellationToken: cts.Token), cts.Token);
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(Cm("c"), ns);
        var rest = await Take(resumed, 2, cts.Token);
        Assert.Equal(["b", "c"], rest.Select(e => e.Object.Metadata.Name));
    }

    [Fact]
    public async Task Bookmarks_are_sent_on_request_when_allowed()
    {
        var ns = await fx.NamespaceAsync();
        using var cts = new CancellationTokenSource(Deadline);
        var list = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        using var http = fx.Server.CreateHttpClient();
        using var response = await http.GetAsync(
            $"/api/v1/namespaces/{ns}/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion={list.Metadata.ResourceVersion}",
            HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var match = new RequestMatch { Verb = "watch", Namespace = ns };
        await Poll(() => fx.Server.OpenWatches(match) == 1, cts.Token);
        fx.Server.ForceBookmarks();
        var line = JsonNode.Parse((await reader.ReadLineAsync(cts.Token))!)!;
        Assert.Equal("BOOKMARK", (string?)line["type"]);
        Assert.Equal("ConfigMap", (string?)line["object"]!["kind"]);
        Assert.True(long.Parse((string)line["object"]!["metadata"]!["resourceVersion"]!) >= long.Parse(list.Metadata.ResourceVersion));
        Assert.Equal(1, fx.Server.CloseWatches(match));
    }

    private static V1ConfigMap Cm(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    private static async Task Poll(Func<bool> condition, CancellationToken token)
    {
        while (!condition())
        {
            await Task.Yield();
            token.ThrowIfCancellationRequested();
            await Task.Delay(10, token);
        }
    }

    private static ChannelReader<(WatchEventType Type, V1ConfigMap Object)> Collect(
        IAsyncEnumerable<(WatchEventType, V1ConfigMap)> watch, CancellationToken token)
    {
        var channel = Channel.CreateUnbounded<(WatchEventType, V1ConfigMap)>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in watch.WithCancellation(token))
                {
                    channel.Writer.TryWrite(e);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, token);
        return channel.Reader;
    }

    private static async Task<List<(WatchEventType Type, V1ConfigMap Object)>> Take(
        ChannelReader<(WatchEventType Type, V1ConfigMap Object)> reader, int count, CancellationToken token)
    {
        var result = new List<(WatchEventType, V1ConfigMap)>();
        while (result.Count < count)
        {
            result.Add(await reader.ReadAsync(token));
        }

        return result;
    }
}
