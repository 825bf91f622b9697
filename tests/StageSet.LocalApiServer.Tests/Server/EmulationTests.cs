using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Tests.Server;

public sealed class EmulationFixture : ServerFixture
{
    protected override LocalApiServerOptions Options => new()
    {
        NamespaceController = true,
        GarbageCollector = true,
        WorkloadStatus = true,
        WorkloadStatusDelay = TimeSpan.Zero,
        DefaultServiceAccounts = true,
    };
}

/// <summary>The opt-in emulations of api-server.md §9.2.</summary>
public sealed class EmulationTests(EmulationFixture fx) : IClassFixture<EmulationFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }

    [Fact]
    public async Task Namespace_controller_empties_and_removes_a_deleted_namespace()
    {
        var ns = await fx.NamespaceAsync();
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));
        var deleted = await fx.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        Assert.Equal(200, deleted.Code);
        await UntilAsync(async () => (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Code == 404);
        Assert.Empty((await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps")).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task Garbage_collector_deletes_owned_objects_with_their_owner_but_keeps_those_with_another_owner()
    {
        var ns = await fx.NamespaceAsync();
        var owner = (await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "owner"))).Json;
        var other = (await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "other"))).Json;
        JsonObject Ref(JsonObject o) => new()
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["name"] = (string)o["metadata"]!["name"]!,
            ["uid"] = (string)o["metadata"]!["uid"]!,
        };
        var owned = Objects.ConfigMap(ns, "owned");
        owned["metadata"]!["ownerReferences"] = new JsonArray(Ref(owner));
        var shared = Objects.ConfigMap(ns, "shared");
        shared["metadata"]!["ownerReferences"] = new JsonArray(Ref(owner), Ref(other));
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", owned);
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", shared);

        await fx.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/owner");
        await UntilAsync(async () => (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/owned")).Code == 404);
        await UntilAsync(async () =>
            (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/shared")).Json["metadata"]!["ownerReferences"]!.AsArray().Count == 1);
    }

    [Fact]
    public async Task Workload_status_makes_a_deployment_available_for_its_generation()
    {
        var ns = await fx.NamespaceAsync();
        await fx.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment(ns, "web"));
        await UntilAsync(async () =>
        {
            var d = (await fx.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web")).Json;
            return d["status"]?["observedGeneration"] is { } g && (long)g == 1
                && d["status"]!["conditions"]!.AsArray().Any(c => (string?)c!["type"] == "Available" && (string?)c["status"] == "True");
        });
    }

    [Fact]
    public async Task Every_namespace_gets_a_default_service_account_and_root_ca()
    {
        var ns = await fx.NamespaceAsync();
        await UntilAsync(async () => (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/serviceaccounts/default")).Code == 200);
        // The service-account and root-CA publishers are independent controllers, as in kube-controller-manager,
        // so the ConfigMap may land after the ServiceAccount.
        await UntilAsync(async () => (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/kube-root-ca.crt")).Code == 200);
        var ca = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/kube-root-ca.crt");
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", (string?)ca.Json["data"]!["ca.crt"]);
    }
}
