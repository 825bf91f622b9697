using System.Text.Json.Nodes;
using StageSet.Engine.Build;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Build;

public sealed class ManifestBuilderTests : IDisposable
{
    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {0}\ndata:\n  k: v\n";
    private readonly TreeBuilder _tree = new();
    private readonly ManifestBuilder _builder = new();

    private static string Cm(string name) => string.Format(System.Globalization.CultureInfo.InvariantCulture, ConfigMap, name);

    private Task<BuildResult> Build(string? path = null, IReadOnlyList<StagePatch>? patches = null,
        Dictionary<string, string>? vars = null) =>
        _builder.BuildAsync(new BuildRequest(_tree.Tree(), path) { Patches = patches ?? [], Variables = vars ?? [] }, default);

    private async Task<string> Refused(string? path = null, IReadOnlyList<StagePatch>? patches = null, Dictionary<string, string>? vars = null) =>
        (await Assert.ThrowsAsync<BuildException>(() => Build(path, patches, vars))).Message;

    private static IEnumerable<string> Names(BuildResult r) => r.Objects.Select(o => KubeObject.Kind(o) + "/" + KubeObject.Name(o));

    [Theory]
    [InlineData("../x", "build path \"../x\" escapes the artifact root")]
    [InlineData("a/../../x", "build path \"a/../../x\" escapes the artifact root")]
    [InlineData("./missing", "build path \"./missing\" not found in artifact")]
    [InlineData("apps/cm.yaml", "build path \"apps/cm.yaml\" not found in artifact")]
    public async Task Build_paths_must_name_a_directory_inside_the_artifact(string path, string message)
    {
        _tree.File("apps/cm.yaml", Cm("a"));
        Assert.Equal(message, await Refused(path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("./")]
    [InlineData(".")]
    public async Task Empty_and_dot_paths_mean_the_root(string? path)
    {
        _tree.File("cm.yaml", Cm("a"));
        Assert.Equal(["ConfigMap/a"], Names(await Build(path)));
    }

    [Fact]
    public async Task A_tree_without_manifests_is_refused()
    {
        _tree.File("README.md", "# nothing").File("notes.txt", "x");
        Assert.Equal("artifact contains no .yaml, .yml, or .json files", await Refused());
    }

    [Fact]
    public async Task A_manifest_yielding_no_objects_is_allowed()
    {
        _tree.File("empty.yaml", "---\n# only a comment\n---\n");
        Assert.Empty((await Build()).Objects);
    }

    [Fact]
    public async Task Plain_trees_read_yaml_lists_and_rendered_json_but_not_other_files()
    {
        _tree.File("b.yml", Cm("b"))
            .File("sub/c.yaml", Cm("c") + "---\n" + Cm("d"))
            .File("rendered.json", """{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"e"}}]}""")
            .File("sub/ignored.json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"nope"}}""")
            .File("Upper.YAML", Cm("nope2"))
            .File("README.md", "docs")
            .File(".hidden.yaml", Cm("hidden"));
        Assert.Equal(["ConfigMap/b", "ConfigMap/c", "ConfigMap/d", "ConfigMap/e"], Names(await Build()).Order());
    }

    [Fact]
    public async Task A_json_file_beside_its_yaml_twin_is_not_read()
    {
        _tree.File("rendered.yaml", Cm("from-yaml")).File("rendered.json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"from-json"}}""");
        Assert.Equal(["ConfigMap/from-yaml"], Names(await Build()));
    }

    [Fact]
    public async Task A_bare_json_array_is_a_list_of_objects()
    {
        _tree.File("rendered.json", """[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}]""");
        Assert.Equal(["ConfigMap/a", "ConfigMap/b"], Names(await Build()));
    }

    [Fact]
    public async Task Undecodable_yaml_names_the_file()
    {
        _tree.File("ok.yaml", Cm("a")).File("bad.yaml", "kind: [unclosed");
        Assert.StartsWith("failed to decode Kubernetes YAML from bad.yaml", await Refused());
    }

    [Fact]
    public async Task Duplicate_objects_in_a_plain_tree_are_refused()
    {
        _tree.File("a.yaml", Cm("same")).File("b.yaml", Cm("same"));
        Assert.Equal("object ConfigMap same is defined twice (a.yaml and b.yaml)", await Refused());
    }

    [Fact]
    public async Task Plain_trees_print_in_kustomize_order()
    {
        _tree.File("all.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\n" + Cm("c")
                               + "---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: w\n"
                               + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n");
        Assert.Equal(["Namespace/ns", "ConfigMap/c", "Deployment/d", "Widget/x", "ValidatingWebhookConfiguration/w"], Names(await Build()));
    }

    [Fact]
    public async Task Normalisation_drops_status_folds_string_data_and_defaults_protocols()
    {
        _tree.File("all.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: s}
            data: {a: YQ==}
            stringData: {b: bee}
            status: {x: 1}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc}
            spec: {ports: [{port: 80}, {port: 53, protocol: UDP}]}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: cj}
            spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, ports: [{containerPort: 1}]}]}}}}}
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            status: {acceptedNames: {kind: Widget}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: _placeholder}
            """);
        var objects = (await Build()).Objects.ToDictionary(KubeObject.Name);
        Assert.Equal("""{"a":"YQ==","b":"YmVl"}""", objects["s"]["data"]!.ToJsonString());
        Assert.Null(objects["s"]["stringData"]);
        Assert.Null(objects["s"]["status"]);
        Assert.Equal("""[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]""", objects["svc"]["spec"]!["ports"]!.ToJsonString());
        Assert.Equal("TCP", (string)objects["cj"]["spec"]!["jobTemplate"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["protocol"]!);
        Assert.NotNull(objects["widgets.example.com"]["status"]);
        Assert.False(objects.ContainsKey("_placeholder"));
    }

    [Fact]
    public async Task Substitution_runs_on_the_rendered_yaml_so_quotes_do_not_survive()
    {
        _tree.File("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    count: \"${COUNT}\"\ndata:\n  text: ${GREETING:=hello} $${literal}\n");
        var obj = (await Build(vars: new() { ["COUNT"] = "3" })).Objects.Single();
        Assert.Equal(3, (int)obj["metadata"]!["labels"]!["count"]!);
        Assert.Equal("hello ${literal}", (string)obj["data"]!["text"]!);
    }

    [Fact]
    public async Task Without_variables_expressions_stay_literal()
    {
        _tree.File("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: ${missing}\n");
        Assert.Equal("${missing}", (string)(await Build()).Objects.Single()["data"]!["a"]!);
    }

    [Fact]
    public async Task Strict_substitution_names_the_missing_variable()
    {
        _tree.File("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: ${missing}\n");
        Assert.Equal("variable not set (strict mode): \"missing\"", await Refused(vars: new() { ["other"] = "x" }));
    }

    [Fact]
    public async Task Stage_patches_on_a_plain_tree_go_through_kustomize()
    {
        _tree.File("cm.yaml", Cm("web") + "---\n" + Cm("db"));
        var patches = new[]
        {
            new StagePatch("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  k: patched\n"),
            new StagePatch("[{\"op\":\"add\",\"path\":\"/data/extra\",\"value\":\"x\"}]", new PatchTarget { Kind = "ConfigMap", Name = "d." }),
        };
        var objects = (await Build(patches: patches)).Objects.ToDictionary(KubeObject.Name);
        Assert.Equal("patched", (string)objects["web"]["data"]!["k"]!);
        Assert.Equal("x", (string)objects["db"]["data"]!["extra"]!);
        Assert.Null(objects["web"]["data"]!["extra"]);
    }

    [Theory]
    [InlineData("resources: [https://github.com/example/repo//deploy?ref=main]", "is remote; remote resources are not allowed")]
    [InlineData("resources: [github.com/example/repo/deploy]", "is not a file or directory in the artifact (remote resources are not allowed)")]
    [InlineData("resources: [../../outside]", "escapes the artifact root")]
    [InlineData("resources: [/etc/kubernetes]", "is an absolute path outside the artifact root")]
    [InlineData("helmCharts: [{name: nginx, repo: https://charts.example.com}]", "helmCharts are not allowed")]
    [InlineData("generators: [{apiVersion: example.com/v1, kind: Exec, metadata: {name: x}}]", "is not a built-in")]
    [InlineData("transformers: [plugin.yaml]", "plugin KRM \"fn\" (example.com/v1) is not a built-in")]
    [InlineData("configMapGenerator: [{name: c, files: [../../etc/passwd]}]", "escapes the artifact root")]
    [InlineData("patches: [{path: /etc/passwd}]", "is an absolute path outside the artifact root")]
    public async Task Disabled_kustomize_features_are_refused_before_kustomize_runs(string kustomization, string message)
    {
        _tree.File("app/kustomization.yaml", kustomization + "\n")
            .File("app/plugin.yaml", "apiVersion: example.com/v1\nkind: KRM\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: |\n      exec: {path: /bin/sh}\n")
            .File("app/cm.yaml", Cm("a"));
        var error = await Refused("app");
        Assert.StartsWith("kustomization app/kustomization.yaml: ", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Nested_kustomizations_are_inspected_too()
    {
        _tree.File("kustomization.yaml", "resources: [base]\n").File("base/kustomization.yaml", "resources: [https://example.com/x.yaml]\n");
        Assert.Contains("kustomization base/kustomization.yaml: resources entry", await Refused());
    }

    [Fact]
    public async Task Builtin_plugins_and_references_inside_the_root_are_allowed()
    {
        _tree.File("common/labels.yaml", "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  team: a\nfieldSpecs: [{path: metadata/labels, create: true}]\n")
            .File("app/kustomization.yaml", "resources: [cm.yaml]\ntransformers: [../common/labels.yaml]\n")
            .File("app/cm.yaml", Cm("a"));
        Assert.Equal("a", (string)(await Build("app")).Objects.Single()["metadata"]!["labels"]!["team"]!);
    }

    [Fact]
    public async Task Kustomize_errors_are_reported()
    {
        _tree.File("kustomization.yaml", "resources: [cm.yaml]\nnamePrefix: [not, a, string]\n").File("cm.yaml", Cm("a"));
        Assert.StartsWith("kustomize build failed: ", await Refused());
    }

    [Fact]
    public async Task The_build_cache_reuses_a_render_without_running_kustomize()
    {
        _tree.File("kustomization.yaml", "resources: [cm.yaml]\nnamePrefix: p-\n").File("cm.yaml", Cm("a"));
        var cache = new BuildCache(capacity: 2);
        var request = new BuildRequest(_tree.Tree(), null) { ArtifactDigest = "sha256:" + new string('a', 64) };
        var first = await new ManifestBuilder(new BuildOptions { Cache = cache }).BuildAsync(request, default);
        // This builder cannot run kustomize at all, so only a cache hit can answer.
        var broken = new ManifestBuilder(new BuildOptions { Cache = cache, KustomizePath = "/nonexistent/kustomize" });
        var second = await broken.BuildAsync(request, default);
        Assert.Equal(first.Objects.Select(o => o.ToJsonString()), second.Objects.Select(o => o.ToJsonString()));
        second.Objects[0]["data"] = new JsonObject();
        Assert.NotEqual(second.Objects[0].ToJsonString(), (await broken.BuildAsync(request, default)).Objects[0].ToJsonString());
        // Any change of input misses the cache.
        await Assert.ThrowsAnyAsync<Exception>(() => broken.BuildAsync(request with { Variables = new Dictionary<string, string> { ["x"] = "1" } }, default));
        await Assert.ThrowsAnyAsync<Exception>(() => broken.BuildAsync(request with { ArtifactDigest = "sha256:" + new string('b', 64) }, default));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task The_build_cache_is_bounded()
    {
        _tree.File("cm.yaml", Cm("a"));
        var cache = new BuildCache(capacity: 2);
        var builder = new ManifestBuilder(new BuildOptions { Cache = cache });
        foreach (var c in "abc")
        {
            await builder.BuildAsync(new BuildRequest(_tree.Tree(), null) { ArtifactDigest = "sha256:" + new string(c, 64) }, default);
        }

        Assert.Equal(2, cache.Count);
    }

    public void Dispose() => _tree.Dispose();
}
