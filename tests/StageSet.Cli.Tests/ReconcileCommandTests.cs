using System.Text.Json.Nodes;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Cli.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ReconcileCommandTests(TestCluster cluster)
{
    private const string RequestedAt = "reconcile.fluxcd.io/requestedAt";
    private readonly ClusterCli _cli = new(cluster);

    private static string? Annotation(JsonObject? obj, string key) => (string?)obj?["metadata"]?["annotations"]?[key];

    private static string TokenOf(string stdout) => stdout[(stdout.IndexOf("(token ", StringComparison.Ordinal) + 7)..stdout.LastIndexOf(')')];

    [Fact]
    public async Task Stamps_the_token_in_one_update_owned_by_stagesetctl()
    {
        var ns = await cluster.CreateNamespaceAsync("rec");
        await _cli.CreateStageSetAsync(ns, "shop", ["infra", "apps"]);
        var (code, stdout, stderr) = await _cli.RunAsync("reconcile", "shop", "-n", ns);
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Matches(@"^Reconcile requested for StageSet shop \(token \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z\)\n$", stdout);
        var live = await _cli.GetStageSetAsync(ns, "shop");
        Assert.Equal(TokenOf(stdout), Annotation(live, RequestedAt));
        Assert.Null(Annotation(live, "stages.metio.wtf/reconcile-stage"));
        if (cluster.Server is { } server)
        {
            // One full-object Update (PUT) carrying the field manager (the local server keeps no managedFields for it).
            var puts = server.Requests.Records.Where(r => r.Method == "PUT" && r.Path.EndsWith("/stagesets/shop", StringComparison.Ordinal)
                                                         && r.Path.Contains("/" + ns + "/", StringComparison.Ordinal)).ToList();
            Assert.Equal("stagesetctl", Assert.Single(puts).FieldManager);
        }
        else
        {
            var managers = live!["metadata"]!["managedFields"]!.AsArray().Select(m => ((string?)m!["manager"], (string?)m["operation"]));
            Assert.Contains(("stagesetctl", "Update"), managers);
        }
    }

    [Fact]
    public async Task Stage_update_now_and_reset_scope_stamp_their_annotations_with_the_same_token()
    {
        var ns = await cluster.CreateNamespaceAsync("rec");
        await _cli.CreateStageSetAsync(ns, "shop", ["infra", "apps"]);
        var (code, stdout, _) = await _cli.RunAsync("reconcile", "shop", "-n", ns, "--stage", "apps", "--update-now", "--reset-scope", "Version");
        Assert.Equal(0, code);
        Assert.StartsWith("Reconcile requested for stage \"apps\" of StageSet shop (token ", stdout, StringComparison.Ordinal);
        var token = TokenOf(stdout);
        var live = await _cli.GetStageSetAsync(ns, "shop");
        Assert.Equal(token, Annotation(live, RequestedAt));
        Assert.Equal("apps@" + token, Annotation(live, "stages.metio.wtf/reconcile-stage"));
        Assert.Equal(token, Annotation(live, "stages.metio.wtf/update-now"));
        Assert.Equal("Version", Annotation(live, "stages.metio.wtf/reset-scope"));
    }

    [Fact]
    public async Task Refuses_unknown_stages_suspended_StageSets_and_bad_reset_scopes()
    {
        var ns = await cluster.CreateNamespaceAsync("rec");
        await _cli.CreateStageSetAsync(ns, "paused", ["one"], customize: o => o["spec"]!["suspend"] = true);
        var (code, _, stderr) = await _cli.RunAsync("reconcile", "paused", "-n", ns);
        Assert.Equal(3, code);
        Assert.Contains("is suspended", stderr, StringComparison.Ordinal);
        Assert.Null(Annotation(await _cli.GetStageSetAsync(ns, "paused"), RequestedAt));

        (code, _, stderr) = await _cli.RunAsync("reconcile", "paused", "-n", ns, "--force", "--stage", "two");
        Assert.Equal((3, $"Error: stage \"two\" not found in StageSet {ns}/paused\n"), (code, stderr));

        (code, _, _) = await _cli.RunAsync("reconcile", "paused", "-n", ns, "--force");
        Assert.Equal(0, code);
        Assert.NotNull(Annotation(await _cli.GetStageSetAsync(ns, "paused"), RequestedAt));

        (code, _, _) = await _cli.RunAsync("reconcile", "paused", "-n", ns, "--reset-scope", "Everything");
        Assert.Equal(2, code);
        (code, _, _) = await _cli.RunAsync("reconcile", "-n", ns);
        Assert.Equal(2, code);
        (code, _, _) = await _cli.RunAsync("reconcile", "absent", "-n", ns);
        Assert.Equal(3, code);
    }

    [Fact]
    public async Task Wait_returns_once_the_controller_reports_the_token_handled()
    {
        var ns = await cluster.CreateNamespaceAsync("wait");
        await _cli.CreateStageSetAsync(ns, "shop", ["apps"]);
        using var stop = new CancellationTokenSource();
        // Plays the controller's part: acknowledges whatever token is stamped.
        var acknowledger = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var live = await _cli.GetStageSetAsync(ns, "shop");
                if (Annotation(live, RequestedAt) is { } token && (string?)live!["status"]?["lastHandledReconcileAt"] != token)
                {
                    await cluster.PatchStatusAsync(ClusterCli.StageSetKind, ns, "shop", new JsonObject { ["lastHandledReconcileAt"] = token });
                }

                await Task.Delay(50);
            }
        });
        var (code, stdout, stderr) = await _cli.RunAsync("reconcile", "shop", "-n", ns, "--wait", "--timeout", "30s");
        await stop.CancelAsync();
        await acknowledger;
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        var live = await _cli.GetStageSetAsync(ns, "shop");
        Assert.Equal(TokenOf(stdout), (string?)live!["status"]!["lastHandledReconcileAt"]);
    }

    [Fact]
    public async Task Wait_times_out_with_exit_3_when_nothing_handles_the_request()
    {
        var ns = await cluster.CreateNamespaceAsync("wait");
        await _cli.CreateStageSetAsync(ns, "shop", ["apps"]);
        var (code, _, stderr) = await _cli.RunAsync("reconcile", "shop", "-n", ns, "--wait", "--timeout", "1s");
        Assert.Equal(3, code);
        Assert.StartsWith($"Error: timed out after 1s waiting for StageSet {ns}/shop", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_source_stamps_producers_behind_ExternalArtifacts_and_warns_for_the_rest()
    {
        var ns = await cluster.CreateNamespaceAsync("src");
        var producerKind = new GroupVersionKind("", "v1", "ConfigMap");
        await cluster.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "producer", ["namespace"] = ns },
        });
        var files = new Dictionary<string, string> { ["cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" };
        await cluster.Flux.PublishExternalArtifactAsync(ns, "produced", files, "v1", new ProducerRef("v1", "ConfigMap", "producer"));
        await cluster.Flux.PublishExternalArtifactAsync(ns, "orphan", files, "v1");
        await cluster.Flux.PublishGitRepositoryAsync(ns, "repo", files, "main@sha1:abc");
        await _cli.CreateStageSetAsync(ns, "shop", ["produced", "orphan", "repo"], customize: o =>
        {
            var stages = o["spec"]!["stages"]!.AsArray();
            stages[2]!["sourceRef"] = new JsonObject { ["kind"] = "GitRepository", ["name"] = "repo" };
        });

        var (code, stdout, stderr) = await _cli.RunAsync("reconcile", "shop", "-n", ns, "--with-source");
        Assert.Equal(0, code);
        var token = TokenOf(stdout);
        Assert.Equal(token, Annotation(await cluster.Client.GetAsync(producerKind, ns, "producer", CancellationToken.None), RequestedAt));
        Assert.Equal(token, Annotation(await cluster.Client.GetAsync(FluxSources.GitRepository, ns, "repo", CancellationToken.None), RequestedAt));
        Assert.Null(Annotation(await cluster.Client.GetAsync(FluxSources.ExternalArtifact, ns, "orphan", CancellationToken.None), RequestedAt));
        Assert.Equal($"Warning: ExternalArtifact {ns}/orphan has no spec.sourceRef back-pointer to a producer; skipped\n", stderr);

        (code, _, stderr) = await _cli.RunAsync("reconcile", "shop", "-n", ns, "--with-source", "--strict");
        Assert.Equal(3, code);
        Assert.EndsWith($"Error: 1 source(s) of StageSet {ns}/shop could not be re-requested\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_are_RFC3339_with_nanoseconds_and_no_trailing_zeros()
    {
        var at = new DateTimeOffset(2026, 5, 4, 3, 2, 1, TimeSpan.Zero);
        Assert.Equal("2026-05-04T03:02:01Z", ReconcileCommand.Token(at));
        Assert.Equal("2026-05-04T03:02:01.12345Z", ReconcileCommand.Token(at.AddTicks(1_234_500)));
        Assert.Equal("2026-05-04T01:02:01.0000001Z", ReconcileCommand.Token(new DateTimeOffset(2026, 5, 4, 3, 2, 1, TimeSpan.FromHours(2)).AddTicks(1)));
    }
}
