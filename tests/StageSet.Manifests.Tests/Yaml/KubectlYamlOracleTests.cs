using System.Diagnostics;
using System.Text.Json.Nodes;
using StageSet.Testing;

namespace StageSet.Manifests.Tests.Yaml;

/// <summary>
/// Differential test against the real kubectl (sigs.k8s.io/yaml over go-yaml v2): <c>kubectl label --local</c>
/// reads the corpus offline and prints it back; our parse must give the same JSON and our writer the same bytes.
/// </summary>
public sealed class KubectlYamlOracleTests
{
    private static readonly string Corpus = TestPaths.Repo("tests", "StageSet.Manifests.Tests", "Yaml", "oracle-corpus.yaml");

    [Fact]
    public void Parsing_matches_kubectl_json()
    {
        var kubectl = JsonNode.Parse(Kubectl("json"));
        var ours = Assert.Single(KubeYaml.ParseDocuments(File.ReadAllText(Corpus), Corpus));
        JsonText.Equal(kubectl, ours);
    }

    [Fact]
    public void Writing_matches_kubectl_yaml_byte_for_byte()
    {
        var ours = Assert.Single(KubeYaml.ParseDocuments(File.ReadAllText(Corpus), Corpus));
        Assert.Equal(Kubectl("yaml"), KubeYaml.Serialize(ours));
    }

    [Fact]
    public void Writing_kubectls_own_json_matches_kubectl_yaml()
    {
        // The JSON -> YAML direction on its own: kubectl's JSON output re-read as plain JSON.
        Assert.Equal(Kubectl("yaml"), KubeYaml.Serialize(JsonNode.Parse(Kubectl("json"))));
    }

    private static string Kubectl(string output)
    {
        var psi = new ProcessStartInfo("kubectl", ["label", "--local", "-f", Corpus, "unused-", "-o", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["KUBECONFIG"] = "/dev/null";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "kubectl failed: " + stderr);
        return stdout.Result;
    }
}
