using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Faults;

namespace StageSet.LocalApiServer.Tests.Server;

public sealed class KubectlFixture : ServerFixture
{
    protected override LocalApiServerOptions Options => new() { NamespaceController = true, WorkloadStatus = true, WorkloadStatusDelay = TimeSpan.Zero };
}

/// <summary>The kubectl oracle suite of api-server.md §11: the real kubectl, its exit codes and output.</summary>
public sealed class KubectlOracleTests(KubectlFixture fx) : IClassFixture<KubectlFixture>
{
    private Kubectl Kubectl() => new(fx.Server.AdminKubeconfigPath);

    private static string Yaml(JsonObject obj) => Manifests.KubeYaml.Serialize(obj);

    [Fact]
    public async Task Version_reports_the_dispatcher_client_and_server_minor_32()
    {
        using var k = Kubectl();
        var r = await k.RunAsync("version", "-o", "json");
        Assert.Equal(0, r.ExitCode);
        var json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal("v1.32.4-dispatcher", (string?)json["clientVersion"]!["gitVersion"]);
        Assert.Equal("32", (string?)json["serverVersion"]!["minor"]);
    }

    [Fact]
    public async Task Api_resources_and_versions_list_the_registry()
    {
        using var k = Kubectl();
        var resources = await k.RunAsync("api-resources");
        Assert.Equal(0, resources.ExitCode);
        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment", resources.Stdout);
        Assert.Matches(@"namespaces\s+ns\s+v1\s+false\s+Namespace", resources.Stdout);
        var versions = await k.RunAsync("api-versions");
        Assert.Contains("rbac.authorization.k8s.io/v1", versions.Stdout.Split('\n'));
        Assert.Contains("v1", versions.Stdout.Split('\n'));
    }

    [Fact]
    public async Task Create_namespace_twice_reports_already_exists()
    {
        using var k = Kubectl();
        var first = await k.RunAsync("create", "namespace", "oracle-ns");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("namespace/oracle-ns created\n", first.Stdout);
        var second = await k.RunAsync("create", "namespace", "oracle-ns");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("Error from server (AlreadyExists): namespaces \"oracle-ns\" already exists", second.Stderr);
        var yaml = await k.RunAsync("get", "ns", "oracle-ns", "-o", "yaml");
        Assert.Contains("phase: Active", yaml.Stdout);
        Assert.Contains("kubernetes.io/metadata.name: oracle-ns", yaml.Stdout);
    }

    [Fact]
    public async Task Server_side_apply_twice_keeps_the_resourceVersion()
    {
        var ns = await fx.NamespaceAsync("ssa");
        using var k = Kubectl();
        var manifest = Yaml(Objects.Deployment(ns, "web"));
        var first = await k.RunWithInputAsync(manifest, "apply", "--server-side", "-f", "-");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("deployment.apps/web serverside-applied\n", first.Stdout);
        var rv = (await k.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}")).Stdout;
        var second = await k.RunWithInputAsync(manifest, "apply", "--server-side", "-f", "-");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(rv, (await k.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}")).Stdout);
    }

    [Fact]
    public async Task Get_with_selectors_and_chunks()
    {
        var ns = await fx.NamespaceAsync("get");
        for (var i = 0; i < 5; i++)
        {
            await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
                Objects.ConfigMap(ns, $"c{i}", labels: new JsonObject { ["app"] = i == 0 ? "x" : "y" }));
        }

        using var k = Kubectl();
        var byLabel = await k.RunAsync("get", "cm", "-n", ns, "-l", "app=x", "-o", "name");
        Assert.Equal("configmap/c0\n", byLabel.Stdout);
        var byField = await k.RunAsync("get", "cm", "-n", ns, "--field-selector", "metadata.name=c3", "-o", "name");
        Assert.Equal("configmap/c3\n", byField.Stdout);

        var match = new RequestMatch { Verb = "list", Resource = "configmaps", Namespace = ns };
        var mark = fx.Server.Requests.Mark();
        var chunked = await k.RunAsync("get", "cm", "-n", ns, "--chunk-size=2");
        Assert.Equal(0, chunked.ExitCode);
        Assert.Equal(6, chunked.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(3, fx.Server.Requests.CountSince(mark, match));
    }

    [Fact]
    public async Task Delete_configmap_and_with_finalizer_and_no_wait_it_shows_deletionTimestamp()
    {
        var ns = await fx.NamespaceAsync("del");
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));
        var held = Objects.ConfigMap(ns, "held");
        held["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", held);
        using var k = Kubectl();
        var r = await k.RunAsync("delete", "cm", "c", "-n", ns);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("configmap \"c\" deleted\n", r.Stdout);
        var h = await k.RunAsync("delete", "cm", "held", "-n", ns, "--wait=false");
        Assert.Equal(0, h.ExitCode);
        Assert.NotEqual("", (await k.RunAsync("get", "cm", "held", "-n", ns, "-o", "jsonpath={.metadata.deletionTimestamp}")).Stdout);
    }

    [Fact]
    public async Task Delete_namespace_returns_after_the_namespace_controller_removed_it()
    {
        var ns = await fx.NamespaceAsync("gone");
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));
        using var k = Kubectl();
        var r = await k.RunAsync("delete", "ns", ns);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"namespace \"{ns}\" deleted\n", r.Stdout);
        Assert.Equal(404, (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}")).Code);
    }

    [Fact]
    public async Task Crd_create_wait_established_apply_and_get_and_strategic_patch_is_415()
    {
        using var k = Kubectl();
        var crd = CustomResourceTests.WidgetCrd("sprockets", "Sprocket");
        Assert.Equal(0, (await k.RunWithInputAsync(Yaml(crd), "create", "-f", "-")).ExitCode);
        var wait = await k.RunAsync("wait", "--for=condition=Established", "crd/sprockets.example.com", "--timeout=20s");
        Assert.Equal(0, wait.ExitCode);
        var ns = await fx.NamespaceAsync("crd");
        var widget = new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Sprocket",
            ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = ns },
            ["spec"] = new JsonObject { ["color"] = "blue" },
        };
        var apply = await k.RunWithInputAsync(Yaml(widget), "apply", "--server-side", "-f", "-");
        Assert.Equal(0, apply.ExitCode);
        Assert.Equal("sprocket.example.com/w serverside-applied\n", apply.Stdout);
        var get = await k.RunAsync("get", "sprockets", "-n", ns);
        Assert.Equal(0, get.ExitCode);
        Assert.Matches(@"^NAME\s+AGE\nw\s+\d+s\n$", get.Stdout);
        var patch = await k.RunAsync("patch", "sprocket", "w", "-n", ns, "-p", "{}");
        Assert.Equal(1, patch.ExitCode);
        Assert.Contains("application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Sprocket", patch.Stderr);
        Assert.Contains("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", patch.Stderr);
    }

    [Fact]
    public async Task Wait_for_pod_ready_and_rollout_status_with_workload_status()
    {
        var ns = await fx.NamespaceAsync("wl");
        using var k = Kubectl();
        Assert.Equal(0, (await k.RunWithInputAsync(Yaml(Objects.Deployment(ns, "web")), "apply", "--server-side", "-f", "-")).ExitCode);
        var rollout = await k.RunAsync("rollout", "status", "deploy/web", "-n", ns, "--timeout=20s");
        Assert.Equal(0, rollout.ExitCode);
        Assert.Contains("successfully rolled out", rollout.Stdout);

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = ns },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) },
        };
        Assert.Equal(0, (await k.RunWithInputAsync(Yaml(pod), "create", "-f", "-")).ExitCode);
        var wait = await k.RunAsync("wait", "--for=condition=Ready", "pod/p", "-n", ns, "--timeout=10s");
        Assert.Equal(0, wait.ExitCode);
        Assert.Equal("pod/p condition met\n", wait.Stdout);
    }

    [Fact]
    public async Task Merge_patch_then_server_side_apply_conflicts_and_force_takes_replicas_from_kubectl_patch()
    {
        var ns = await fx.NamespaceAsync("conflict");
        using var k = Kubectl();
        var manifest = Yaml(Objects.Deployment(ns, "web"));
        Assert.Equal(0, (await k.RunWithInputAsync(manifest, "apply", "--server-side", "-f", "-")).ExitCode);
        var patch = await k.RunAsync("patch", "deploy", "web", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":3}}""");
        Assert.Equal(0, patch.ExitCode);
        Assert.Equal("deployment.apps/web patched\n", patch.Stdout);

        var conflict = await k.RunWithInputAsync(manifest, "apply", "--server-side", "-f", "-");
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl-patch\" using apps/v1: .spec.replicas", conflict.Stderr);

        var forced = await k.RunWithInputAsync(manifest, "apply", "--server-side", "--force-conflicts", "-f", "-");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("deployment.apps/web serverside-applied\n", forced.Stdout);
        var live = JsonNode.Parse((await k.RunAsync("get", "deploy", "web", "-n", ns, "-o", "json", "--show-managed-fields")).Stdout)!;
        Assert.Equal(1, (int)live["spec"]!["replicas"]!);
        var patcher = live["metadata"]!["managedFields"]!.AsArray().Where(e => (string?)e!["manager"] == "kubectl-patch");
        Assert.DoesNotContain(patcher, e => e!["fieldsV1"]!.ToJsonString().Contains("f:replicas", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diff_server_side_is_empty_when_unchanged_and_shows_image_and_generation_when_changed()
    {
        var ns = await fx.NamespaceAsync("diff");
        using var k = Kubectl();
        var manifest = Yaml(Objects.Deployment(ns, "web"));
        Assert.Equal(0, (await k.RunWithInputAsync(manifest, "apply", "--server-side", "-f", "-")).ExitCode);
        var same = await k.RunWithInputAsync(manifest, "diff", "--server-side", "-f", "-");
        Assert.Equal(0, same.ExitCode);
        Assert.Equal("", same.Stdout);

        var changed = await k.RunWithInputAsync(Yaml(Objects.Deployment(ns, "web", image: "nginx:2")), "diff", "--server-side", "-f", "-");
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("\n-      - image: nginx:1\n", changed.Stdout);
        Assert.Contains("\n+      - image: nginx:2\n", changed.Stdout);
        Assert.Contains("\n-  generation: 1\n", changed.Stdout);
        Assert.Contains("\n+  generation: 2\n", changed.Stdout);
    }

    [Fact]
    public async Task Get_watch_prints_the_first_row_then_the_updated_row_after_a_concurrent_patch()
    {
        var ns = await fx.NamespaceAsync("watch");
        using var k = Kubectl();
        Assert.Equal(0, (await k.RunWithInputAsync(Yaml(Objects.Deployment(ns, "web")), "apply", "--server-side", "-f", "-")).ExitCode);
        using var watch = k.Start("get", "deploy", "-n", ns, "-w");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$", await watch.StandardOutput.ReadLineAsync(cts.Token));
            Assert.Matches(@"^web\s+\d/1\s", await watch.StandardOutput.ReadLineAsync(cts.Token));
            var patch = await k.RunAsync("patch", "deploy", "web", "-n", ns, "--type", "merge", "-p", """{"spec":{"replicas":2}}""");
            Assert.Equal(0, patch.ExitCode);
            while (await watch.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(line, @"^web\s+\d/2\s"))
                {
                    return;
                }
            }

            Assert.Fail("kubectl get -w ended without printing the updated row");
        }
        finally
        {
            watch.Kill();
        }
    }

    [Fact]
    public async Task Json_patch_and_strategic_merge_patch_of_one_container_leave_the_others_untouched()
    {
        var ns = await fx.NamespaceAsync("patch");
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));
        using var k = Kubectl();
        var json = await k.RunAsync("patch", "cm", "c", "-n", ns, "--type", "json", "-p", """[{"op":"add","path":"/data/b","value":"2"}]""");
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("configmap/c patched\n", json.Stdout);
        Assert.Equal("1 2", (await k.RunAsync("get", "cm", "c", "-n", ns, "-o", "jsonpath={.data.a} {.data.b}")).Stdout);

        var deployment = Objects.Deployment(ns, "web");
        deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "log", ["image"] = "busybox:1" });
        Assert.Equal(201, (await fx.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", deployment)).Code);
        var strategic = await k.RunAsync("patch", "deploy", "web", "-n", ns, "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:2"}]}}}}""");
        Assert.Equal(0, strategic.ExitCode);
        Assert.Equal("deployment.apps/web patched\n", strategic.Stdout);
        var images = await k.RunAsync("get", "deploy", "web", "-n", ns, "-o", "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}");
        Assert.Equal("web=nginx:2 log=busybox:1 ", images.Stdout);
    }

    [Fact]
    public async Task Server_side_apply_of_a_changed_job_template_is_invalid_because_it_is_immutable()
    {
        var ns = await fx.NamespaceAsync("job");
        using var k = Kubectl();
        Assert.Equal(0, (await k.RunWithInputAsync(Yaml(Job(ns, "busybox:1")), "apply", "--server-side", "-f", "-")).ExitCode);
        var changed = await k.RunWithInputAsync(Yaml(Job(ns, "busybox:2")), "apply", "--server-side", "-f", "-");
        Assert.Equal(1, changed.ExitCode);
        Assert.Matches("""The Job "j" is invalid: spec.template: Invalid value: .+: field is immutable""", changed.Stderr);
    }

    [Fact]
    public async Task Auth_can_i_as_a_service_account_is_no_until_a_rolebinding_is_created()
    {
        var ns = await fx.NamespaceAsync("bind");
        using var k = Kubectl();
        var asDeployer = $"--as=system:serviceaccount:{ns}:deployer";
        Assert.Equal("no\n", (await k.RunAsync("auth", "can-i", "create", "deployments", "-n", ns, asDeployer)).Stdout);
        // `kubectl create rolebinding` posts protobuf, which §0.1 does not ask for; `create -f` sends JSON.
        var binding = new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = "deployer-edit", ["namespace"] = ns },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "edit" },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = "deployer", ["namespace"] = ns }),
        };
        var bind = await k.RunWithInputAsync(Yaml(binding), "create", "-f", "-");
        Assert.Equal(0, bind.ExitCode);
        Assert.Equal("rolebinding.rbac.authorization.k8s.io/deployer-edit created\n", bind.Stdout);
        var after = await k.RunAsync("auth", "can-i", "create", "deployments", "-n", ns, asDeployer);
        Assert.Equal(0, after.ExitCode);
        Assert.Equal("yes\n", after.Stdout);
    }

    [Fact]
    public async Task A_user_without_impersonate_rights_is_forbidden_to_act_as_another()
    {
        using var bob = new Kubectl(fx.Server.AddUser("bob"));

        // With an empty discovery cache kubectl 1.32 cannot decode the discovery 403 and prints "unknown", against
        // kube-apiserver as well; a discovery-warm cache (bob may read discovery himself) shows the server's message.
        var cold = await bob.RunAsync("get", "pods", "--as=alice");
        Assert.Equal(1, cold.ExitCode);
        Assert.EndsWith("Error from server (Forbidden): unknown\n", cold.Stderr);
        var own = await bob.RunAsync("get", "pods", "-n", "default");
        Assert.Contains("Error from server (Forbidden): pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", own.Stderr);

        var r = await bob.RunAsync("get", "pods", "--as=alice");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(
            "Error from server (Forbidden): users \"alice\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope\n",
            r.Stderr);
    }

    [Fact]
    public async Task Client_side_apply_then_server_side_apply_migrates_without_conflict()
    {
        var ns = await fx.NamespaceAsync("migrate");
        using var k = Kubectl();
        var first = await k.RunWithInputAsync(Yaml(Objects.ConfigMap(ns, "c", new JsonObject { ["a"] = "1" })), "apply", "-f", "-");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("configmap/c created\n", first.Stdout);
        var server = await k.RunWithInputAsync(Yaml(Objects.ConfigMap(ns, "c", new JsonObject { ["a"] = "2" })), "apply", "--server-side", "-f", "-");
        Assert.Equal(0, server.ExitCode);
        Assert.Equal("configmap/c serverside-applied\n", server.Stdout);
        Assert.Equal("2", (await k.RunAsync("get", "cm", "c", "-n", ns, "-o", "jsonpath={.data.a}")).Stdout);
    }

    private static JsonObject Job(string ns, string image) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["metadata"] = new JsonObject { ["name"] = "j", ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["restartPolicy"] = "Never",
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "j", ["image"] = image }),
                },
            },
        },
    };
}

/// <summary>The rows of the §11 oracle suite that need a server without emulated controllers.</summary>
public sealed class KubectlPlainOracleTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Wait_for_pod_ready_returns_once_a_status_patch_sets_the_condition()
    {
        var ns = await fx.NamespaceAsync("ready");
        using var k = new Kubectl(fx.Server.AdminKubeconfigPath);
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = ns },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "nginx" }) },
        };
        Assert.Equal(0, (await k.RunWithInputAsync(Manifests.KubeYaml.Serialize(pod), "create", "-f", "-")).ExitCode);
        var notYet = await k.RunAsync("wait", "--for=condition=Ready", "pod/p", "-n", ns, "--timeout=1s");
        Assert.Equal(1, notYet.ExitCode);
        var status = await k.RunAsync("patch", "pod", "p", "-n", ns, "--subresource=status", "--type", "merge", "-p",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        Assert.Equal(0, status.ExitCode);
        var wait = await k.RunAsync("wait", "--for=condition=Ready", "pod/p", "-n", ns, "--timeout=10s");
        Assert.Equal(0, wait.ExitCode);
        Assert.Equal("pod/p condition met\n", wait.Stdout);
    }

    [Fact]
    public async Task Delete_namespace_without_the_namespace_controller_leaves_it_terminating()
    {
        var ns = await fx.NamespaceAsync("term");
        using var k = new Kubectl(fx.Server.AdminKubeconfigPath);
        var r = await k.RunAsync("delete", "ns", ns, "--wait=false");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"namespace \"{ns}\" deleted\n", r.Stdout);
        var get = await k.RunAsync("get", "ns", ns);
        Assert.Equal(0, get.ExitCode);
        Assert.Matches($@"{ns}\s+Terminating\s", get.Stdout);
    }
}
