using System.Text.Json.Nodes;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Cli.Tests;

[Collection(ClusterCollection.Name)]
public sealed class GetCommandTests(TestCluster cluster)
{
    private readonly ClusterCli _cli = new(cluster);

    private async Task<string> SeedAsync()
    {
        var ns = await cluster.CreateNamespaceAsync("get");
        await _cli.CreateStageSetAsync(ns, "beta", ["only"]);
        await _cli.CreateStageSetAsync(ns, "alpha", ["infra", "apps"], new JsonObject
        {
            ["conditions"] = new JsonArray(ClusterCli.Ready("False", "StageProgressing", "stage \"apps\" is waiting")),
            ["version"] = "1.2.0",
            ["lastHandledReconcileAt"] = "2026-01-01T10:00:00.5Z",
            ["pendingMigrations"] = new JsonArray(new JsonObject { ["name"] = "split-db", ["to"] = "1.2.0" }, new JsonObject { ["name"] = "reindex", ["to"] = "1.2.0" }),
            ["pendingUpdate"] = new JsonObject
            {
                ["nextWindowOpens"] = "2026-03-01T02:00:00Z",
                ["revisions"] = new JsonObject { [ns + "/infra"] = "main@sha1:bbb", [ns + "/apps"] = "main@sha1:aaa" },
            },
            ["stages"] = new JsonArray(
                new JsonObject { ["name"] = "infra", ["phase"] = "Ready", ["appliedRevision"] = "main@sha1:111", ["entriesCount"] = 12 },
                new JsonObject { ["name"] = "apps", ["phase"] = "Verifying" }),
        });
        return ns;
    }

    [Fact]
    public async Task Table_lists_the_namespace_sorted_with_the_spec_columns()
    {
        var ns = await SeedAsync();
        var (code, stdout, stderr) = await _cli.RunAsync("get", "-n", ns);
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Equal(
            "NAME   READY    REASON            STAGES  VERSION  PENDING\n" +
            "alpha  False    StageProgressing  1/2     1.2.0    held until 2026-03-01T02:00:00.000000Z\n" +
            "beta   Unknown  -                 0/1     -        -\n", stdout);
    }

    [Fact]
    public async Task All_namespaces_adds_the_namespace_column()
    {
        var ns = await SeedAsync();
        var (code, stdout, _) = await _cli.RunAsync("get", "-A");
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAMESPACE", lines[0], StringComparison.Ordinal);
        Assert.Contains("NAME", lines[0], StringComparison.Ordinal);
        var ours = lines.Where(l => l.StartsWith(ns + " ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, ours.Count);
        Assert.Matches(@"^\S+\s+alpha\s+False\s+StageProgressing\s+1/2\s+1\.2\.0\s+held until", ours[0]);
        Assert.Matches(@"^\S+\s+beta\s+Unknown\s+-\s+0/1\s+-\s+-$", ours[1]);
    }

    [Fact]
    public async Task An_empty_namespace_says_so()
    {
        var ns = await cluster.CreateNamespaceAsync("empty");
        var (code, stdout, _) = await _cli.RunAsync("get", "-n", ns);
        Assert.Equal(0, code);
        Assert.Equal("No StageSets found.\n", stdout);
    }

    [Fact]
    public async Task Detail_view_prints_every_section_in_order()
    {
        var ns = await SeedAsync();
        var (code, stdout, _) = await _cli.RunAsync("get", "alpha", "-n", ns);
        Assert.Equal(0, code);
        Assert.Equal(
            "Name:       alpha\n" +
            $"Namespace:  {ns}\n" +
            "Ready:      False (StageProgressing)\n" +
            "Message:    stage \"apps\" is waiting\n" +
            "Version:    1.2.0\n" +
            "Pending migrations: split-db, reindex\n" +
            "Last handled reconcile: 2026-01-01T10:00:00.5Z\n" +
            "Pending update:\n" +
            "  Next window opens: 2026-03-01T02:00:00.000000Z\n" +
            $"  Held: {ns}/apps -> main@sha1:aaa\n" +
            $"  Held: {ns}/infra -> main@sha1:bbb\n" +
            "Stages:\n" +
            "  NAME   PHASE      REVISION       ENTRIES\n" +
            "  infra  Ready      main@sha1:111  12\n" +
            "  apps   Verifying  -              0\n", stdout);
    }

    [Fact]
    public async Task Detail_view_of_a_fresh_suspended_StageSet_omits_the_optional_lines()
    {
        var ns = await cluster.CreateNamespaceAsync("fresh");
        await _cli.CreateStageSetAsync(ns, "idle", ["one"], customize: o => o["spec"]!["suspend"] = true);
        var (code, stdout, _) = await _cli.RunAsync("get", "idle", "-n", ns);
        Assert.Equal(0, code);
        Assert.Equal($"Name:       idle\nNamespace:  {ns}\nSuspended:  true\nReady:      Unknown\nVersion:    -\n", stdout);
    }

    [Fact]
    public async Task Yaml_and_json_output_carry_the_type()
    {
        var ns = await SeedAsync();
        var (code, yaml, _) = await _cli.RunAsync("get", "alpha", "-n", ns, "-o", "yaml");
        Assert.Equal(0, code);
        var one = KubeYaml.Parse(yaml)!.AsObject();
        Assert.Equal(("stages.metio.wtf/v1", "StageSet", "alpha"), (KubeObject.ApiVersion(one), KubeObject.Kind(one), KubeObject.Name(one)));
        Assert.Equal("1.2.0", (string?)one["status"]?["version"]);

        (code, var json, _) = await _cli.RunAsync("get", "-n", ns, "-o", "json");
        Assert.Equal(0, code);
        Assert.Contains("\n  \"kind\": \"StageSetList\"", json, StringComparison.Ordinal);
        var list = JsonNode.Parse(json)!.AsObject();
        Assert.Equal("StageSetList", KubeObject.Kind(list));
        var items = list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(["alpha", "beta"], items.Select(KubeObject.Name));
        Assert.All(items, i => Assert.Equal("StageSet", KubeObject.Kind(i)));
    }

    [Theory]
    [InlineData("get", "x", "-A")]
    [InlineData("get", "-o", "wide")]
    [InlineData("get", "--bogus")]
    [InlineData("get", "a", "b")]
    public async Task Usage_errors_exit_2_with_one_error_line(params string[] args)
    {
        var (code, stdout, stderr) = await _cli.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_StageSet_is_a_runtime_error()
    {
        var ns = await cluster.CreateNamespaceAsync("missing");
        var (code, stdout, stderr) = await _cli.RunAsync("get", "nope", "-n", ns);
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.Equal($"Error: StageSet \"nope\" not found in namespace \"{ns}\"\n", stderr);
    }
}
