using System.Diagnostics;
using System.Text.Json.Nodes;
using StageSet.Engine.Build;
using StageSet.Manifests;
using StageSet.Testing;

namespace StageSet.Cli.Tests;

/// <summary>
/// Acceptance oracle: for every tree in <c>Corpus/</c>, <c>stagesetctl build</c> must render the same set of objects as
/// the real <c>kubectl kustomize</c> on the case's equivalent kustomization (<c>oracle/</c>). The oracle output goes
/// through the controller's normalisation (§4 step 11) as Flux's would, then both sides are compared as sets.
/// </summary>
public sealed class KustomizeOracleTests
{
    private static readonly string CorpusDir = TestPaths.Repo("tests", "StageSet.Cli.Tests", "Corpus");

    public static TheoryData<string> Cases() =>
        new(Directory.EnumerateDirectories(CorpusDir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void The_corpus_has_at_least_fifteen_trees() => Assert.True(Cases().Count >= 15, $"{Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Build_equals_kubectl_kustomize(string name)
    {
        var dir = Path.Combine(CorpusDir, name);
        var (code, stdout, stderr) = await Cli.RunAsync("build", "-f", Path.Combine(dir, "stageset.yaml"),
            "--source-dir", Path.Combine(dir, "src"), "--show-secrets");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);

        var oracle = ManifestNormalizer.Normalize(KubeYaml.ParseDocuments(await KubectlKustomize(Path.Combine(dir, "oracle"))), "oracle");
        var ours = KubeYaml.ParseDocuments(stdout).Select(d => d!.AsObject()).ToList();
        Assert.NotEmpty(oracle);
        Assert.Equal(Canonical(oracle), Canonical(ours));
    }

    private static List<string> Canonical(IEnumerable<JsonObject> objects) =>
        [.. objects.Select(o => Sorted(o)!.ToJsonString()).Order(StringComparer.Ordinal)];

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };

    private static async Task<string> KubectlKustomize(string dir)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "kustomize", dir, "--load-restrictor=LoadRestrictionsNone" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
        return await output;
    }
}
