using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Faults;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Kube.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DynamicClientTests(TestCluster cluster)
{
    private static readonly GroupVersionKind ConfigMap = new("", "v1", "ConfigMap");
    private static readonly GroupVersionKind Deployment = new("apps", "v1", "Deployment");

    private static JsonObject Cm(string ns, string name, string value, string? label = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["app"] = label ?? "x" },
        },
        ["data"] = new JsonObject { ["k"] = value },
    };

    [Fact]
    public async Task Objects_of_any_kind_round_trip_through_create_get_list_patch_and_delete()
    {
        var ns = await cluster.CreateNamespaceAsync("dyn");
        var client = cluster.Client;

        await client.CreateAsync(Cm(ns, "a", "1", "one"), default);
        await client.CreateAsync(Cm(ns, "b", "2", "two"), default);
        var got = await client.GetAsync(ConfigMap, ns, "a", default);
        var listed = await client.ListAsync(ConfigMap, ns, new ListOptions { LabelSelector = "app=two", Limit = 1 }, default);
        await client.PatchAsync(ConfigMap, ns, "a", PatchKind.Merge, """{"data":{"k":"9"}}""", default);
        var patched = await client.GetAsync(ConfigMap, ns, "a", default);
        var deleted = await client.DeleteAsync(ConfigMap, ns, "a", default);
        var deletedAgain = await client.DeleteAsync(ConfigMap, ns, "a", default);

        Assert.Equal("1", got!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(["b"], listed.Items.Select(KubeObject.Name));
        Assert.Equal("ConfigMap", KubeObject.Kind(listed.Items[0]));
        Assert.False(string.IsNullOrEmpty(listed.ResourceVersion));
        Assert.Equal("9", patched!["data"]!["k"]!.GetValue<string>());
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Null(await client.GetAsync(ConfigMap, ns, "a", default));
    }

    [Fact]
    public async Task Lists_follow_continue_tokens_across_pages()
    {
        var ns = await cluster.CreateNamespaceAsync("page");
        for (var i = 0; i < 7; i++)
        {
            await cluster.Client.CreateAsync(Cm(ns, "cm-" + i, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), default);
        }

        var list = await cluster.Client.ListAsync(ConfigMap, ns, new ListOptions { Limit = 3 }, default);

        Assert.Equal(7, list.Items.Count);
    }

    [Fact]
    public async Task Api_errors_keep_the_server_status_code_reason_and_message()
    {
        var ns = await cluster.CreateNamespaceAsync("err");
        await cluster.Client.CreateAsync(Cm(ns, "a", "1"), default);

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => cluster.Client.CreateAsync(Cm(ns, "a", "1"), default));

        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("AlreadyExists", ex.Reason);
        Assert.True(ex.IsAlreadyExists);
        Assert.Equal("configmaps \"a\" already exists", ex.ApiMessage);
    }

    [Fact]
    public async Task A_kind_the_server_does_not_serve_is_a_no_kind_match_error()
    {
        var ex = await Assert.ThrowsAsync<NoKindMatchException>(() =>
            cluster.Client.GetAsync(new GroupVersionKind("example.com", "v1", "Missing"), "default", "x", default));

        Assert.Equal("no matches for kind \"Missing\" in version \"example.com/v1\"", ex.ApiMessage);
        Assert.True(KubeErrors.IsPermissionOrKindProblem(ex));
    }

    [Fact]
    public async Task A_crd_established_mid_run_resolves_without_a_restart()
    {
        var kind = new GroupVersionKind("late.example.com", "v1", "Widget");
        await Assert.ThrowsAsync<NoKindMatchException>(() => cluster.Client.GetAsync(kind, "default", "w", default));

        var crd = Crds.Widget("late.example.com");
        await new ServerSideApplier(cluster.Client).ApplyBatchesAsync([[crd]], default);
        var ns = await cluster.CreateNamespaceAsync("late");
        await cluster.Client.CreateAsync(new JsonObject
        {
            ["apiVersion"] = "late.example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = ns },
        }, default);

        Assert.NotNull(await cluster.Client.GetAsync(kind, ns, "w", default));
    }

    [Fact]
    public async Task Server_side_apply_writes_only_when_the_dry_run_differs_from_the_live_object()
    {
        var ns = await cluster.CreateNamespaceAsync("ssa");
        var applier = new ServerSideApplier(cluster.Client);

        var first = await applier.ApplyBatchAsync([Cm(ns, "a", "1")], default);
        var mark = cluster.Server?.Requests.Mark() ?? 0;
        var second = await applier.ApplyBatchAsync([Cm(ns, "a", "1")], default);
        var writesDuringSecond = cluster.Server?.Requests.CountSince(mark, new RequestMatch { Verb = "apply", Namespace = ns });
        var third = await applier.ApplyBatchAsync([Cm(ns, "a", "2")], default);

        Assert.Equal(ApplyAction.Created, first[0].Action);
        Assert.Equal(ApplyAction.Unchanged, second[0].Action);
        Assert.Equal(KubeObject.Metadata(first[0].Live)!["resourceVersion"]!.GetValue<string>(),
            KubeObject.Metadata(second[0].Live)!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(ApplyAction.Configured, third[0].Action);
        Assert.Equal("stageset-controller",
            third[0].Live["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>()
                .Single(m => m["operation"]!.GetValue<string>() == "Apply")["manager"]!.GetValue<string>());
        if (cluster.Server is not null)
        {
            // The unchanged apply sent only its dry run.
            Assert.Equal(1, writesDuringSecond);
            Assert.True(cluster.Server.Requests.Records.Where(r => r.Seq > mark && r.Facts.Verb == "apply" && r.Facts.Namespace == ns)
                .Take(1).All(r => r.DryRun));
        }
    }

    [Fact]
    public async Task A_batch_with_a_forbidden_object_writes_nothing()
    {
        var ns = await cluster.CreateNamespaceAsync("deny");
        await cluster.GrantAsync(ns, "deployer", "configmaps");
        var tenant = cluster.Kube.As(KubeIdentity.ServiceAccount(ns, "deployer"));
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "s", ["namespace"] = ns },
            ["stringData"] = new JsonObject { ["k"] = "v" },
        };

        var ex = await Assert.ThrowsAsync<KubeApiException>(() =>
            new ServerSideApplier(tenant).ApplyBatchAsync([Cm(ns, "a", "1"), secret], default));

        Assert.True(ex.IsForbidden);
        Assert.Contains("system:serviceaccount:" + ns + ":deployer", ex.ApiMessage);
        Assert.Null(await cluster.Client.GetAsync(ConfigMap, ns, "a", default));
    }

    [Fact]
    public async Task Impersonated_requests_run_as_the_service_account()
    {
        var ns = await cluster.CreateNamespaceAsync("imp");
        await cluster.GrantAsync(ns, "deployer", "configmaps");
        var tenant = cluster.Kube.As(KubeIdentity.ServiceAccount(ns, "deployer"));

        await tenant.CreateAsync(Cm(ns, "a", "1"), default);
        var denied = await Assert.ThrowsAsync<KubeApiException>(() => tenant.GetAsync(Deployment, ns, "web", default));

        Assert.True(denied.IsForbidden);
        Assert.Equal("Forbidden", denied.Reason);
        if (cluster.Server is not null)
        {
            var create = cluster.Server.Requests.Records.Last(r => r.Facts.Verb == "create" && r.Facts.Namespace == ns &&
                                                                     r.Facts.Resource == "configmaps");
            Assert.Equal("system:serviceaccount:" + ns + ":deployer", create.Facts.User);
        }
    }

    [Fact]
    public async Task Throttled_and_failing_reads_are_retried()
    {
        if (cluster.Server is not { } server)
        {
            return; // Needs fault injection.
        }

        var ns = await cluster.CreateNamespaceAsync("retry");
        await cluster.Client.CreateAsync(Cm(ns, "a", "1"), default);
        var match = new RequestMatch { Verb = "get", Namespace = ns, Resource = "configmaps", Name = "a" };
        using var throttle = server.Faults.Add(new FaultRule(match, FaultTrigger.First(1), FaultAction.TooManyRequests(0)));
        // The first matching rule answers a request, so the second rule only counts requests the first let through.
        using var fail = server.Faults.Add(new FaultRule(match, FaultTrigger.First(1), FaultAction.InternalError()));
        var mark = server.Requests.Mark();

        var got = await cluster.Client.GetAsync(ConfigMap, ns, "a", default);

        Assert.NotNull(got);
        Assert.Equal(3, server.Requests.CountSince(mark, match));
    }
}
