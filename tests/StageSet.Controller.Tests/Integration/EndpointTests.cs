using System.Net;
using System.Net.Http.Headers;
using StageSet.Controller.Hosting;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Controller.Tests.Integration;

[Collection(ClusterCollection.Name)]
public sealed class EndpointTests(TestCluster cluster)
{
    [Fact]
    public async Task Gate_metrics_and_probes_answer_over_http()
    {
        await using var h = await Harness.StartAsync(cluster, "http");
        await h.PublishAsync("app", Specs.Files(("a.yaml", Specs.ConfigMap(h.Namespace, "gate-cm"))), "v7");
        await h.ApplyStageSetAsync("web", Specs.StageSet(Specs.Stage("app", "app")));
        await h.WaitForReasonAsync("web", "Succeeded");
        using var http = new HttpClient();

        await TestCluster.EventuallyAsync(async () =>
            (await http.GetAsync(new Uri(h.Host.GateAddress!, "/gate/" + h.Namespace + "/web/app"))).StatusCode == HttpStatusCode.OK,
            Harness.Deadline, "the gate to see the Ready stage through the cache");
        var gate = await http.GetStringAsync(new Uri(h.Host.GateAddress!, "/gate/" + h.Namespace + "/web/app"));
        var missing = await http.GetAsync(new Uri(h.Host.GateAddress!, "/gate/" + h.Namespace + "/web/nope"));
        using var jsonRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(h.Host.GateAddress!, "/gate/" + h.Namespace + "/web/app"));
        jsonRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var json = await (await http.SendAsync(jsonRequest)).Content.ReadAsStringAsync();
        var post = await http.PostAsync(new Uri(h.Host.GateAddress!, "/gate/" + h.Namespace + "/web/app"), null);

        Assert.Equal("stage \"app\" is Ready at v7\n", gate);
        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Equal("{\"ready\":true,\"namespace\":\"" + h.Namespace + "\",\"stageset\":\"web\",\"stage\":\"app\",\"phase\":\"Ready\",\"revision\":\"v7\"}", json);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET", post.Content.Headers.Allow.Single());

        var metrics = await http.GetStringAsync(new Uri(h.Host.MetricsAddress!, "/metrics"));
        Assert.Contains("stageset_reconcile_total{namespace=\"" + h.Namespace + "\",name=\"web\",reason=\"Succeeded\"}", metrics);
        Assert.Contains("stageset_stage_ready{namespace=\"" + h.Namespace + "\",stageset=\"web\",stage=\"app\"} 1", metrics);
        Assert.Contains("stageset_stage_applied_total{namespace=\"" + h.Namespace + "\",name=\"web\",stage=\"app\"}", metrics);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"stageset\"", metrics);

        Assert.Equal("ok", await http.GetStringAsync(new Uri(h.Host.ProbeAddress!, "/healthz")));
        Assert.Equal("ok", await http.GetStringAsync(new Uri(h.Host.ProbeAddress!, "/readyz")));
    }

    [Fact]
    public async Task Only_the_leader_reconciles_and_the_lease_has_the_spec_name()
    {
        var ns = await cluster.CreateNamespaceAsync("lease");
        ControllerOptions Options(ControllerOptions o) => o with
        {
            LeaderElect = true,
            LeaderElectionNamespace = ns,
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };
        await using var first = await Harness.StartAsync(cluster, "le1", Options);
        await first.Host.Leading.WaitAsync(Harness.Deadline);
        await using var second = await Harness.StartAsync(cluster, "le2", Options);

        var lease = await cluster.Client.GetAsync(new GroupVersionKind("coordination.k8s.io", "v1", "Lease"), ns,
            "stageset-controller.stages.metio.wtf", default);
        Assert.NotNull(lease);
        Assert.True(first.Host.IsLeader);
        Assert.False(second.Host.IsLeader);

        await first.Host.StopAsync();
        await second.Host.Leading.WaitAsync(Harness.Deadline);
        Assert.True(second.Host.IsLeader);
    }
}
