using StageSet.Manifests;

namespace StageSet.Cli.Tests;

public sealed class BuildCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stageset-cli-" + Guid.NewGuid().ToString("N"));

    public BuildCommandTests()
    {
        Write("stageset.yaml", """
            apiVersion: stages.metio.wtf/v1
            kind: StageSet
            metadata: {name: shop, namespace: apps}
            spec:
              stages:
              - name: infra
                sourceRef: {name: infra}
              - name: empty
                sourceRef: {name: empty}
              - name: app
                sourceRef: {name: app}
                postBuild:
                  substitute: {PASSWORD: hunter2}
            """);
        Write("infra/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n");
        Write("infra/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YWRtaW4=\n  password: aHVudGVyMg==\n");
        Write("empty/nothing.yaml", "---\n");
        Write("app/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  password: ${PASSWORD}\n  again: ${PASSWORD}\n  user: admin\n");
        Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  password: visible\n");
    }

    private void Write(string path, string content)
    {
        var full = Path.Combine(_dir, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private string P(string name) => Path.Combine(_dir, name);

    private string[] Args(params string[] extra) =>
        ["build", "-f", P("stageset.yaml"), "--source-dir", "infra=" + P("infra"), "--source-dir", "empty=" + P("empty"), "--source-dir", P("app"), .. extra];

    [Fact]
    public async Task Stages_render_in_spec_order_as_one_stream_with_secrets_masked()
    {
        var (code, stdout, stderr) = await Cli.RunAsync(Args());
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.False(stdout.StartsWith("---", StringComparison.Ordinal));
        var docs = KubeYaml.ParseDocuments(stdout).Select(d => d.AsObject()).ToList();
        Assert.Equal(["Namespace/shop", "Secret/db", "ConfigMap/app", "Secret/app"], docs.Select(d => KubeObject.Kind(d) + "/" + KubeObject.Name(d)));
        Assert.Equal(3, stdout.Split("\n---\n").Length - 1);
        // Distinct values are numbered from 1 across the whole run; equal values share a number.
        Assert.Equal("<-- value not shown (#1)", (string)docs[1]["data"]!["password"]!);
        Assert.Equal("<-- value not shown (#2)", (string)docs[1]["data"]!["user"]!);
        var app = docs[3]["data"]!;
        Assert.Equal("<-- value not shown (#1)", (string)app["password"]!);
        Assert.Equal("<-- value not shown (#1)", (string)app["again"]!);
        // "admin" is the same value as the first Secret's user, so it shares #2.
        Assert.Equal("<-- value not shown (#2)", (string)app["user"]!);
        Assert.Equal("visible", (string)docs[2]["data"]!["password"]!);
        Assert.DoesNotContain("hunter2", stdout);
        Assert.DoesNotContain("aHVudGVyMg==", stdout);
    }

    [Fact]
    public async Task Show_secrets_prints_the_values()
    {
        var (_, stdout, _) = await Cli.RunAsync(Args("--show-secrets"));
        Assert.Contains("password: aHVudGVyMg==", stdout);
    }

    [Fact]
    public async Task Stages_can_be_selected_repeatedly_and_comma_separated()
    {
        var (code, stdout, _) = await Cli.RunAsync(Args("--stage", "app,empty", "--stage", "app"));
        Assert.Equal(0, code);
        Assert.Equal(["ConfigMap/app", "Secret/app"], KubeYaml.ParseDocuments(stdout).Select(d => KubeObject.Kind(d.AsObject()) + "/" + KubeObject.Name(d.AsObject())));
    }

    [Theory]
    [InlineData(3, "Error: stage \"nope\" not found in StageSet apps/shop\n", "--stage", "nope")]
    [InlineData(2, "Error: unknown flag: --bogus\n", "--bogus")]
    public async Task Errors_are_printed_once_with_the_contract_exit_codes(int expected, string message, params string[] extra)
    {
        var (code, stdout, stderr) = await Cli.RunAsync(Args(extra));
        Assert.Equal(expected, code);
        Assert.Equal(message, stderr);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("app=", "Error: --source-dir \"app=\": empty path\n")]
    [InlineData("", "Error: --source-dir \"\": empty path\n")]
    public async Task Bad_source_dirs_are_usage_errors(string value, string message)
    {
        var (code, _, stderr) = await Cli.RunAsync("build", "-f", P("stageset.yaml"), "--source-dir", value);
        Assert.Equal(2, code);
        Assert.Equal(message, stderr);
    }

    [Fact]
    public async Task A_duplicate_source_dir_key_is_a_usage_error()
    {
        var (code, _, stderr) = await Cli.RunAsync("build", "-f", P("stageset.yaml"), "--source-dir", "app=a", "--source-dir", "app=b");
        Assert.Equal(2, code);
        Assert.Equal("Error: --source-dir \"app=b\": stage \"app\" was already given\n", stderr);
    }

    [Fact]
    public async Task Build_failures_name_the_stage_and_exit_3()
    {
        Write("broken/bad.yaml", "kind: [oops");
        var (code, _, stderr) = await Cli.RunAsync("build", "-f", P("stageset.yaml"), "--stage", "infra", "--source-dir", P("broken"));
        Assert.Equal(3, code);
        Assert.StartsWith("Error: stage \"infra\" build: failed to decode Kubernetes YAML from bad.yaml", stderr);
    }

    [Fact]
    public async Task Substitute_from_needs_a_cluster()
    {
        Write("ss2.yaml", "apiVersion: stages.metio.wtf/v1\nkind: StageSet\nmetadata: {name: x}\nspec:\n  stages:\n  - name: a\n    sourceRef: {name: s}\n    postBuild:\n      substituteFrom: [{kind: ConfigMap, name: vars}]\n");
        var (code, _, stderr) = await Cli.RunAsync("build", "-f", P("ss2.yaml"), "--source-dir", P("app"));
        Assert.Equal(3, code);
        Assert.Equal("Error: stage \"a\" resolve postBuild variables: substituteFrom ConfigMap default/vars cannot be read offline (no cluster connection with -f)\n", stderr);
    }

    [Fact]
    public async Task A_stage_without_a_source_dir_is_a_runtime_error()
    {
        var (code, _, stderr) = await Cli.RunAsync("build", "-f", P("stageset.yaml"), "--source-dir", "app=" + P("app"));
        Assert.Equal(3, code);
        Assert.StartsWith("Error: stage \"infra\" has no --source-dir", stderr);
    }

    [Fact]
    public async Task Version_uses_the_cobra_template()
    {
        var (code, stdout, _) = await Cli.RunAsync("--version");
        Assert.Equal(0, code);
        Assert.Equal("stagesetctl version development (commit unknown)\n", stdout);
        var (_, plugin, _) = await Cli.RunAsAsync("/usr/local/bin/kubectl-stageset", "--version");
        Assert.Equal("kubectl stageset version development (commit unknown)\n", plugin);
    }

    [Fact]
    public async Task Help_names_the_plugin_when_installed_as_kubectl_stageset()
    {
        var (code, stdout, _) = await Cli.RunAsAsync("/usr/local/bin/kubectl-stageset", "build", "--help");
        Assert.Equal(0, code);
        Assert.Contains("kubectl stageset build", stdout);
        var (_, plain, _) = await Cli.RunAsAsync("stagesetctl", "--help");
        Assert.Contains("stagesetctl [command] [options]", plain);
        Assert.DoesNotContain("kubectl", plain.Split("Options:")[0]);
    }

    [Fact]
    public async Task Kubectl_connection_flags_are_accepted()
    {
        var (code, _, stderr) = await Cli.RunAsync(Args("--kubeconfig", "/dev/null", "--context", "x", "-n", "other", "--insecure-skip-tls-verify"));
        Assert.True(code == 0, stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
