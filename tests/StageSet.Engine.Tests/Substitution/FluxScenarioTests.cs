using System.Text;
using System.Text.Json.Nodes;
using StageSet.Artifacts;
using StageSet.Engine.Build;
using StageSet.Engine.Substitution;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Engine.Tests.Substitution;

/// <summary>
/// The postBuild scenarios of fluxcd/pkg (kustomize testdata) and kustomize-controller, run through this
/// controller's pipeline. Where this controller deliberately differs (always strict, no per-object opt-out, no
/// <c>substituteStrategy</c>) the test asserts the documented difference instead.
/// </summary>
public sealed class FluxScenarioTests
{
    private static readonly string Dir = TestPaths.TestData("envsubst", "fluxcd-pkg-kustomize");

    private sealed class Cluster(params JsonObject[] objects) : IVariableSourceReader
    {
        public Task<JsonObject?> GetAsync(string kind, string @namespace, string name, CancellationToken ct) =>
            Task.FromResult(objects.FirstOrDefault(o => KubeObject.Kind(o) == kind && KubeObject.Name(o) == name));
    }

    private static JsonObject Load(string file)
    {
        var obj = KubeYaml.ParseDocuments(File.ReadAllText(Path.Combine(Dir, file)), file).Single().AsObject();
        ManifestNormalizer.NormalizeObject(obj); // folds Secret stringData into data, as the API server stores it
        return obj;
    }

    private static PostBuildSpec PostBuildOf(string kustomizationFile)
    {
        var pb = Load(kustomizationFile)["spec"]!["postBuild"]!;
        return new PostBuildSpec
        {
            Substitute = (pb["substitute"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => (string)kv.Value!),
            SubstituteFrom = [.. (pb["substituteFrom"] as JsonArray ?? []).Select(r => new SubstituteReference((string)r!["kind"]!, (string)r["name"]!))],
        };
    }

    private static async Task<List<JsonObject>> Render(string buildDir, IReadOnlyDictionary<string, string> vars) =>
        [.. (await new ManifestBuilder().BuildAsync(
            new BuildRequest(ArtifactTree.FromDirectory(Path.Combine(Dir, buildDir)), null) { Variables = vars }, default)).Objects];

    [Fact]
    public async Task Varsub_renders_the_deployment_byte_for_byte_and_ignores_the_substitute_disabled_label()
    {
        var vars = await PostBuildVariables.ResolveAsync(PostBuildOf("kustomization_varsub.yaml"), new Cluster(Load("configmap.yaml")), "apps", default);
        var objects = await Render("resources", vars);
        var expected = KubeYaml.ParseDocuments(File.ReadAllText(Path.Combine(Dir, "kustomization_varsub_expected.yaml")));
        var deployment = objects.Single(o => KubeObject.Kind(o) == "Deployment");
        Assert.Equal(KubeYaml.Serialize(expected[0]), KubeYaml.Serialize(deployment));
        // Upstream leaves the opted-out ConfigMap untouched; this controller has no per-object opt-out (§5.2).
        var cm = objects.Single(o => KubeObject.Kind(o) == "ConfigMap");
        Assert.Equal("nginx:1.21.4", (string)cm["data"]!["image"]!);
        Assert.Equal("prod", (string)cm["metadata"]!["labels"]!["environment"]!);
    }

    [Fact]
    public async Task Strict_mode_fails_on_an_undefined_variable()
    {
        var vars = await PostBuildVariables.ResolveAsync(PostBuildOf("kustomization_varsub.yaml"), new Cluster(Load("configmap.yaml")), "apps", default);
        var e = await Assert.ThrowsAsync<BuildException>(() => Render("varsubstrict", vars));
        Assert.Contains("variable not set", e.Message);
        Assert.Equal("variable not set (strict mode): \"missing\"", e.Message);
    }

    [Fact]
    public async Task Without_variables_substitution_is_skipped_and_defaults_stay_literal()
    {
        var text = KubeYaml.SerializeStream(await Render("varsubalways", new Dictionary<string, string>()));
        Assert.Contains("${cluster_env:=dev}", text);
        Assert.Contains("${cluster_region:=eu-central-1}", text);
    }

    [Fact]
    public async Task Empty_values_count_as_set_and_render_as_null()
    {
        var vars = await PostBuildVariables.ResolveAsync(PostBuildOf("kustomization_varsub_empty.yaml"),
            new Cluster(Load("configmap_empty.yaml"), Load("secret_empty.yaml")), "apps", default);
        Assert.Equal(3, vars.Count);
        var text = KubeYaml.SerializeStream(await Render("varsubstrictempty", vars));
        Assert.DoesNotContain("${", text);
        Assert.Contains("from-inline: null", text);
        Assert.Contains("from-configmap: null", text);
        Assert.Contains("from-secret: null", text);
    }

    private static readonly JsonObject Controller = JsonNode.Parse(File.ReadAllText(
        TestPaths.TestData("envsubst", "kustomize-controller-postbuild.transcribed.json")))!.AsObject();

    private static JsonObject Scenario(string name, bool exact = false) =>
        Controller["scenarios"]!.AsArray().Select(s => s!.AsObject())
            .Single(s => exact ? (string)s["name"]! == name : ((string)s["name"]!).StartsWith(name, StringComparison.Ordinal));

    private static (PostBuildSpec Spec, JsonObject[] Objects) ControllerInputs(JsonObject scenario)
    {
        var pb = scenario["postBuild"]!;
        var objects = new List<JsonObject>();
        var refs = new List<SubstituteReference>();
        foreach (var (r, i) in (pb["substituteFrom"] as JsonArray ?? []).Select((r, i) => (r!, i)))
        {
            var kind = (string)r["kind"]!;
            var name = "vars-" + i;
            refs.Add(new SubstituteReference(kind, name, r["optional"] is JsonValue o && (bool)o));
            var data = new JsonObject();
            foreach (var (k, v) in (r["data"] ?? r["stringData"])!.AsObject())
            {
                data[k] = kind == "Secret" ? Convert.ToBase64String(Encoding.UTF8.GetBytes((string)v!)) : (string)v!;
            }

            objects.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = data });
        }

        var inline = (pb["substitute"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
        return (new PostBuildSpec { Substitute = inline, SubstituteFrom = refs }, [.. objects]);
    }

    private static async Task<List<JsonObject>> RenderScenario(JsonObject scenario, IVariableSourceReader reader, PostBuildSpec spec)
    {
        var root = Path.Combine(Path.GetTempPath(), "stageset-scn-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            foreach (var (file, content) in scenario["files"]!.AsObject())
            {
                File.WriteAllText(Path.Combine(root, file), ((string)content!).Replace("NAME", "demo", StringComparison.Ordinal));
            }

            var vars = await PostBuildVariables.ResolveAsync(spec, reader, "demo", default);
            return [.. (await new ManifestBuilder().BuildAsync(new BuildRequest(ArtifactTree.FromDirectory(root), null) { Variables = vars }, default)).Objects];
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Label(List<JsonObject> objects, string kind, string key, string field = "labels") =>
        objects.Single(o => KubeObject.Kind(o) == kind)["metadata"]![field]![key]!.ToString();

    [Fact]
    public async Task Controller_varsub_later_sources_win_inline_wins_and_newlines_are_stripped()
    {
        var scenario = Scenario("TestKustomizationReconciler_Varsub", exact: true);
        var (spec, objects) = ControllerInputs(scenario);
        var rendered = await RenderScenario(scenario, new Cluster(objects), spec);
        Assert.Equal("dev", Label(rendered, "ServiceAccount", "environment"));
        Assert.Equal("eu-central-1", Label(rendered, "ServiceAccount", "region"));
        Assert.Equal("az-1b", Label(rendered, "ServiceAccount", "zone"));
        Assert.Equal(Convert.ToBase64String("az-1b"u8.ToArray()), (string)rendered.Single(o => KubeObject.Kind(o) == "Secret")["data"]!["zone"]!);
    }

    [Fact]
    public async Task Controller_varsub_optional_sources_are_used_when_present_and_skipped_when_absent()
    {
        var scenario = Scenario("TestKustomizationReconciler_VarsubOptional");
        var (spec, objects) = ControllerInputs(scenario);
        var present = await RenderScenario(scenario, new Cluster(objects), spec);
        Assert.Equal("red", Label(present, "ServiceAccount", "color"));
        Assert.Equal("triangle", Label(present, "ServiceAccount", "shape"));
        var absent = await RenderScenario(scenario, new Cluster(), spec);
        Assert.Equal("blue", Label(absent, "ServiceAccount", "color"));
        Assert.Equal("square", Label(absent, "ServiceAccount", "shape"));
    }

    [Fact]
    public async Task Controller_varsub_without_variables_leaves_expressions_in_place()
    {
        var scenario = Scenario("TestKustomizationReconciler_VarsubAlways / WithVariables");
        var rendered = await RenderScenario(scenario, new Cluster(), new PostBuildSpec());
        Assert.Equal("${color:=blue}", Label(rendered, "ServiceAccount", "color"));
    }

    [Fact]
    public async Task Controller_varsub_numbers_booleans_tags_and_escapes()
    {
        var scenario = Scenario("TestKustomizationReconciler_VarsubNumberBool");
        var (spec, objects) = ControllerInputs(scenario);
        var rendered = await RenderScenario(scenario, new Cluster(objects), spec);
        Assert.Equal("123", Label(rendered, "GitRepository", "id"));
        Assert.Equal("123", Label(rendered, "GitRepository", "id", "annotations"));
        Assert.Equal("true", Label(rendered, "GitRepository", "enabled"));
        Assert.Equal("true", Label(rendered, "GitRepository", "enabled", "annotations"));
        var git = rendered.Single(o => KubeObject.Kind(o) == "GitRepository");
        Assert.Equal("123m", (string)git["spec"]!["interval"]!);
        // "!!str 123" forces a string where a bare 123 would have become a number.
        Assert.Equal(System.Text.Json.JsonValueKind.String, git["metadata"]!["labels"]!["id"]!.GetValueKind());
        var cm = rendered.Single(o => KubeObject.Kind(o) == "ConfigMap");
        Assert.Equal("123", (string)cm["data"]!["id"]!);
        var text = (string)cm["data"]!["text"]!;
        Assert.Contains("${var}", text);
        Assert.Contains("\\?", text);
        Assert.DoesNotContain("$${var}", text);
    }

    [Fact]
    public async Task Controller_varsub_strict_fails_with_variable_not_set()
    {
        var scenario = Scenario("TestKustomizationReconciler_VarsubStrict");
        var (spec, objects) = ControllerInputs(scenario);
        var e = await Assert.ThrowsAsync<BuildException>(() => RenderScenario(scenario, new Cluster(objects), spec));
        Assert.Contains("variable not set", e.Message);
    }
}
