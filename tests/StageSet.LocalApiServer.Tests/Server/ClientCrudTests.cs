using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>The KubernetesClient library against the server: version, CRUD, concurrency, status, finalizers.</summary>
public sealed class ClientCrudTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Version_reports_kubernetes_1_32()
    {
        var version = await fx.Client.Version.GetCodeAsync();
        Assert.Equal("1", version.Major);
        Assert.Equal("32", version.Minor);
    }

    [Fact]
    public async Task ConfigMap_create_get_list_update_delete_round_trip()
    {
        var ns = await fx.NamespaceAsync();
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Null(created.Metadata.Generation);

        var read = await fx.Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("1", read.Data["a"]);

        read.Data["a"] = "2";
        var updated = await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "c", ns);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));

        var list = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Equal("2", Assert.Single(list.Items).Data["a"]);

        var status = await fx.Client.CoreV1.DeleteNamespacedConfigMapAsync("c", ns);
        Assert.Equal("Success", status.Status);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => fx.Client.CoreV1.ReadNamespacedConfigMapAsync("c", ns));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal("configmaps \"c\" not found", (string?)JsonNode.Parse(missing.Response.Content)!["message"]);
    }

    [Fact]
    public async Task Stale_resourceVersion_on_update_is_a_409_conflict_with_the_kubernetes_message()
    {
        var ns = await fx.NamespaceAsync();
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns);
        created.Data = new Dictionary<string, string> { ["x"] = "1" };
        await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", ns);
        created.Data["x"] = "2";
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", ns));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!;
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal(
            "Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)status["message"]);
    }

    [Fact]
    public async Task Identical_update_keeps_resourceVersion_and_sends_no_event()
    {
        var ns = await fx.NamespaceAsync();
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, ns);
        var before = fx.Server.CurrentResourceVersion;
        var same = await fx.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "c", ns);
        Assert.Equal(created.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
        Assert.Equal(before, fx.Server.CurrentResourceVersion);
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_is_404_namespaces_not_found()
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "nope"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!;
        Assert.Equal("namespaces \"nope\" not found", (string?)status["message"]);
        Assert.Equal("namespaces", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task Create_with_existing_name_is_409_already_exists()
    {
        var ns = await fx.NamespaceAsync();
        await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Equal("configmaps \"c\" already exists", (string?)JsonNode.Parse(e.Response.Content)!["message"]);
    }

    [Fact]
    public async Task GenerateName_appends_five_characters_from_the_kubernetes_alphabet()
    {
        var ns = await fx.NamespaceAsync();
        var created = await fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "job-" } }, ns);
        Assert.Matches("^job-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name);
    }

    [Fact]
    public async Task Invalid_name_is_422_with_the_rfc1123_message()
    {
        var ns = await fx.NamespaceAsync();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            fx.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "Bad_Name" } }, ns));
        Assert.Equal(422, (int)e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!;
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", (string?)status["message"]);
        Assert.Equal("metadata.name", (string?)status["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Deployment_generation_bumps_on_annotation_change_but_statefulset_does_not()
    {
        var ns = await fx.NamespaceAsync();
        var deploy = await fx.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment(ns, "web"));
        Assert.Equal(201, deploy.Code);
        Assert.Equal(1, (long)deploy.Json["metadata"]!["generation"]!);
        var sts = await fx.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/statefulsets", Objects.StatefulSet(ns, "db"));
        Assert.Equal(201, sts.Code);

        var annotate = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["x"] = "y" } } };
        var patchedDeploy = await fx.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web", annotate, "application/merge-patch+json");
        var patchedSts = await fx.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/statefulsets/db", annotate, "application/merge-patch+json");
        Assert.Equal(2, (long)patchedDeploy.Json["metadata"]!["generation"]!);
        Assert.Equal(1, (long)patchedSts.Json["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Status_is_isolated_between_main_resource_and_status_subresource()
    {
        var ns = await fx.NamespaceAsync();
        var created = await fx.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment(ns, "web"));
        var obj = created.Json;
        obj["status"] = new JsonObject { ["replicas"] = 5 };
        var main = await fx.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web", obj);
        Assert.Equal(200, main.Code);
        Assert.Null(main.Json["status"]!["replicas"]);

        var viaStatus = main.Json;
        viaStatus["status"] = new JsonObject { ["replicas"] = 3 };
        viaStatus["spec"]!["replicas"] = 9;
        viaStatus["metadata"]!["labels"] = new JsonObject { ["sneaky"] = "yes" };
        var status = await fx.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status", viaStatus);
        Assert.Equal(200, status.Code);
        Assert.Equal(3, (int)status.Json["status"]!["replicas"]!);
        Assert.Equal(1, (int)status.Json["spec"]!["replicas"]!);
        Assert.Null(status.Json["metadata"]!["labels"]);
        Assert.Equal(1, (long)status.Json["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Delete_with_finalizer_marks_deleting_and_removing_the_finalizer_deletes()
    {
        var ns = await fx.NamespaceAsync();
        var cm = Objects.ConfigMap(ns, "c");
        cm["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", cm);
        var deleted = await fx.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/c");
        Assert.Equal(200, deleted.Code);
        Assert.Equal("ConfigMap", (string?)deleted.Json["kind"]);
        Assert.NotNull(deleted.Json["metadata"]!["deletionTimestamp"]);
        Assert.Equal(0, (int)deleted.Json["metadata"]!["deletionGracePeriodSeconds"]!);

        var addFinalizer = await fx.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/c",
            new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray("example.com/hold", "x") } }, "application/merge-patch+json");
        Assert.Equal(422, addFinalizer.Code);
        Assert.Contains("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"x\"}",
            (string?)addFinalizer.Json["message"]);

        var release = await fx.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/c",
            new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } }, "application/merge-patch+json");
        Assert.Equal(200, release.Code);
        var gone = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/c");
        Assert.Equal(404, gone.Code);
    }

    [Fact]
    public async Task Dry_run_create_returns_201_with_uid_but_stores_nothing()
    {
        var ns = await fx.NamespaceAsync();
        var before = fx.Server.CurrentResourceVersion;
        var dry = await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps?dryRun=All", Objects.ConfigMap(ns, "c"));
        Assert.Equal(201, dry.Code);
        Assert.False(string.IsNullOrEmpty((string?)dry.Json["metadata"]!["uid"]));
        Assert.Null(dry.Json["metadata"]!["resourceVersion"]);
        Assert.Equal(404, (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/c")).Code);
        Assert.Equal(before, fx.Server.CurrentResourceVersion);
    }

    [Fact]
    public async Task List_items_of_builtin_kinds_carry_no_kind_or_apiVersion()
    {
        var ns = await fx.NamespaceAsync();
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));
        var list = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        Assert.Equal("ConfigMapList", (string?)list.Json["kind"]);
        var item = Assert.Single(list.Json["items"]!.AsArray())!.AsObject();
        Assert.False(item.ContainsKey("kind"));
        Assert.False(item.ContainsKey("apiVersion"));
    }

    [Fact]
    public async Task Namespace_create_sets_phase_and_name_label_and_protected_namespaces_cannot_be_deleted()
    {
        var ns = await fx.NamespaceAsync();
        var read = await fx.Client.CoreV1.ReadNamespaceAsync(ns);
        Assert.Equal("Active", read.Status.Phase);
        Assert.Equal(ns, read.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], read.Spec.Finalizers);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => fx.Client.CoreV1.DeleteNamespaceAsync("default"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, e.Response.StatusCode);
        Assert.Contains("this namespace may not be deleted", e.Response.Content);
    }

    [Fact]
    public async Task Deleted_namespace_stays_terminating_and_refuses_new_content()
    {
        var ns = await fx.NamespaceAsync();
        var deleted = await fx.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        Assert.Equal(200, deleted.Code);
        Assert.Equal("Terminating", (string?)deleted.Json["status"]!["phase"]);
        var create = await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));
        Assert.Equal(403, create.Code);
        Assert.Equal($"configmaps \"c\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
            (string?)create.Json["message"]);
        Assert.Equal("NamespaceTerminating", (string?)create.Json["details"]!["causes"]![0]!["reason"]);
        Assert.Equal("Terminating", (await fx.Client.CoreV1.ReadNamespaceAsync(ns)).Status.Phase);
    }
}
