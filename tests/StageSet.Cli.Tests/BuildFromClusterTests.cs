using System.Text.Json.Nodes;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Cli.Tests;

/// <summary><c>build NAME</c>: the StageSet and its sources come from the cluster, artifacts from the artifact server.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BuildFromClusterTests(TestCluster cluster)
{
    private readonly ClusterCli _cli = new(cluster);

    private async Task<string> SeedAsync()
    {
        var ns = await cluster.CreateNamespaceAsync("build");
        await cluster.Flux.PublishExternalArtifactAsync(ns, "infra", new Dictionary<string, string>
        {
            ["ns.yaml"] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
            ["secret.yaml"] = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: hunter2\n",
        }, "v1");
        await cluster.Flux.PublishExternalArtifactAsync(ns, "apps", new Dictionary<string, string>
        {
            ["deploy/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\n  namespace: shop\ndata:\n  text: ${GREETING}\n",
            ["other/ignored.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elsewhere\n",
        }, "v2");
        await cluster.ApplyAsync(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "vars", ["namespace"] = ns },
            ["data"] = new JsonObject { ["GREETING"] = "hello from the cluster" },
        });
        await _cli.CreateStageSetAsync(ns, "shop", ["infra", "apps"], customize: o =>
        {
            var apps = o["spec"]!["stages"]![1]!.AsObject();
            apps["path"] = "./deploy";
            apps["postBuild"] = new JsonObject
            {
                ["substituteFrom"] = new JsonArray(new JsonObject { ["kind"] = "ConfigMap", ["name"] = "vars" }),
            };
        });
        return ns;
    }

    private static List<JsonObject> Docs(string yaml) => [.. KubeYaml.ParseDocuments(yaml).Select(d => d.AsObject())];

    [Fact]
    public async Task Renders_every_stage_from_its_fetched_artifact_with_cluster_variables_and_masked_secrets()
    {
        var ns = await SeedAsync();
        var (code, stdout, stderr) = await _cli.RunAsync("build", "shop", "-n", ns);
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        var docs = Docs(stdout);
        Assert.Equal(["Namespace/shop", "Secret/db", "ConfigMap/greeting"], docs.Select(d => KubeObject.Kind(d) + "/" + KubeObject.Name(d)));
        // The build folds stringData into data, as the API server would on write.
        Assert.Equal("<-- value not shown (#1)", (string?)docs[1]["data"]!["password"]);
        Assert.Equal("hello from the cluster", (string?)docs[2]["data"]!["text"]);

        (code, stdout, _) = await _cli.RunAsync("build", "shop", "-n", ns, "--show-secrets");
        Assert.Equal(0, code);
        Assert.Equal(Convert.ToBase64String("hunter2"u8), (string?)Docs(stdout)[1]["data"]!["password"]);
    }

    [Fact]
    public async Task Stage_selection_and_a_local_source_dir_replace_parts_of_the_render()
    {
        var ns = await SeedAsync();
        var (code, stdout, _) = await _cli.RunAsync("build", "shop", "-n", ns, "--stage", "apps");
        Assert.Equal(0, code);
        Assert.Equal(["ConfigMap/greeting"], Docs(stdout).Select(d => KubeObject.Kind(d) + "/" + KubeObject.Name(d)));

        var local = Directory.CreateTempSubdirectory("stagesetctl-local-");
        try
        {
            Directory.CreateDirectory(Path.Combine(local.FullName, "deploy"));
            await File.WriteAllTextAsync(Path.Combine(local.FullName, "deploy", "cm.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\ndata:\n  text: ${GREETING}\n");
            (code, stdout, _) = await _cli.RunAsync("build", "shop", "-n", ns, "--source-dir", "apps=" + local.FullName);
            Assert.Equal(0, code);
            var docs = Docs(stdout);
            Assert.Equal(["Namespace/shop", "Secret/db", "ConfigMap/local"], docs.Select(d => KubeObject.Kind(d) + "/" + KubeObject.Name(d)));
            Assert.Equal("hello from the cluster", (string?)docs[2]["data"]!["text"]);
        }
        finally
        {
            local.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Unknown_stages_missing_sources_and_missing_StageSets_are_runtime_errors()
    {
        var ns = await SeedAsync();
        var (code, _, stderr) = await _cli.RunAsync("build", "shop", "-n", ns, "--stage", "nope");
        Assert.Equal((3, $"Error: stage \"nope\" not found in StageSet {ns}/shop\n"), (code, stderr));

        await _cli.CreateStageSetAsync(ns, "broken", ["missing"]);
        (code, var stdout, stderr) = await _cli.RunAsync("build", "broken", "-n", ns);
        Assert.Equal(3, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("Error: stage \"missing\": resolve source: ", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await _cli.RunAsync("build", "absent", "-n", ns);
        Assert.Equal((3, $"Error: StageSet \"absent\" not found in namespace \"{ns}\"\n"), (code, stderr));
    }
}
