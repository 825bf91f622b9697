using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using StageSet.LocalApiServer.Faults;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>Discovery, OpenAPI, selectors, paging, Table, authentication and request accounting.</summary>
public sealed class DiscoveryAndListTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private const string AggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public async Task Legacy_discovery_lists_core_v1_with_subresources()
    {
        var api = await fx.SendAsync(HttpMethod.Get, "/api");
        Assert.Equal("APIVersions", (string?)api.Json["kind"]);
        Assert.Equal(fx.Server.Url.Authority, (string?)api.Json["serverAddressByClientCIDRs"]![0]!["serverAddress"]);

        var apps = await fx.SendAsync(HttpMethod.Get, "/apis/apps/v1");
        var resources = apps.Json["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var deployments = resources.Single(r => (string?)r["name"] == "deployments");
        Assert.Equal("Deployment", (string?)deployments["kind"]);
        Assert.Equal(["deploy"], deployments["shortNames"]!.AsArray().Select(x => (string)x!));
        var status = resources.Single(r => (string?)r["name"] == "deployments/status");
        Assert.Equal("", (string?)status["singularName"]);
        Assert.Equal(["get", "patch", "update"], status["verbs"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(404, (await fx.SendAsync(HttpMethod.Get, "/apis/nope.example.com/v1")).Code);
    }

    [Fact]
    public async Task Aggregated_discovery_is_served_with_its_content_type_and_etag()
    {
        var headers = new Dictionary<string, string> { ["Accept"] = AggregatedAccept };
        var apis = await fx.SendAsync(HttpMethod.Get, "/apis", headers: headers);
        Assert.StartsWith("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", apis.ContentType.Replace(" ", ""));
        var apps = apis.Json["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "apps")!;
        var deploy = apps["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Equal("Namespaced", (string?)deploy["scope"]);
        var scale = deploy["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == "scale")!;
        Assert.Equal("Scale", (string?)scale["responseKind"]!["kind"]);

        var etag = apis.Headers.ETag!.Tag;
        headers["If-None-Match"] = etag;
        Assert.Equal(304, (await fx.SendAsync(HttpMethod.Get, "/apis", headers: headers)).Code);
        var core = await fx.SendAsync(HttpMethod.Get, "/api", headers: new Dictionary<string, string> { ["Accept"] = AggregatedAccept });
        Assert.Equal("", (string?)Assert.Single(core.Json["items"]!.AsArray())!["metadata"]!["name"]);
    }

    [Fact]
    public async Task OpenApi_v3_root_lists_every_group_version_and_documents_patch_paths()
    {
        var root = await fx.SendAsync(HttpMethod.Get, "/openapi/v3");
        var url = (string)root.Json["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;
        Assert.StartsWith("/openapi/v3/apis/apps/v1?hash=", url);
        var doc = await fx.SendAsync(HttpMethod.Get, url);
        var patch = doc.Json["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_and_bad_selectors_are_400()
    {
        var ns = await fx.NamespaceAsync();
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "a", labels: new JsonObject { ["app"] = "x", ["tier"] = "web" }));
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "b", labels: new JsonObject { ["app"] = "y" }));
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));

        async Task<string[]> Names(string query) =>
            (await fx.Client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, labelSelector: query)).Body.Items.Select(i => i.Metadata.Name).ToArray();

        Assert.Equal(["a"], await Names("app=x"));
        Assert.Equal(["b", "c"], await Names("app!=x"));
        Assert.Equal(["a", "b"], await Names("app in (x,y)"));
        Assert.Equal(["c"], await Names("!app"));
        Assert.Equal(["a"], await Names("app,tier"));
        var byName = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=b");
        Assert.Equal("b", Assert.Single(byName.Items).Metadata.Name);

        var badField = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?fieldSelector=data.a%3D1");
        Assert.Equal(400, badField.Code);
        Assert.Equal("field label not supported: data.a", (string?)badField.Json["message"]);
        Assert.Equal(400, (await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?labelSelector=a%20in%20x")).Code);
    }

    [Fact]
    public async Task Paging_returns_continue_tokens_from_the_first_page_snapshot()
    {
        var ns = await fx.NamespaceAsync();
        for (var i = 0; i < 5; i++)
        {
            await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, $"c{i}"));
        }

        var first = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2);
        Assert.Equal(["c0", "c1"], first.Items.Select(i => i.Metadata.Name));
        Assert.Equal(3, first.Metadata.RemainingItemCount);
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c9"));
        var names = new List<string>(first.Items.Select(i => i.Metadata.Name));
        var token = first.Metadata.ContinueProperty;
        while (!string.IsNullOrEmpty(token))
        {
            var page = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: token);
            Assert.Equal(first.Metadata.ResourceVersion, page.Metadata.ResourceVersion);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
        }

        Assert.Equal(["c0", "c1", "c2", "c3", "c4"], names);

        var again = await fx.Client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2);
        fx.Server.CompactTo(fx.Server.CurrentResourceVersion + 1);
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c10"));
        fx.Server.CompactTo(fx.Server.CurrentResourceVersion);
        var expired = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?limit=2&continue={Uri.EscapeDataString(again.Metadata.ContinueProperty)}");
        Assert.Equal(410, expired.Code);
        Assert.Equal("Expired", (string?)expired.Json["reason"]);
    }

    [Fact]
    public async Task Table_output_has_the_configmap_columns_and_partial_object_metadata()
    {
        var ns = await fx.NamespaceAsync();
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c", new JsonObject { ["a"] = "1", ["b"] = "2" }));
        var table = await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps",
            headers: new Dictionary<string, string> { ["Accept"] = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json" });
        Assert.Equal("Table", (string?)table.Json["kind"]);
        Assert.Equal(["Name", "Data", "Age"], table.Json["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        var row = Assert.Single(table.Json["rows"]!.AsArray())!;
        Assert.Equal("c", (string?)row["cells"]![0]);
        Assert.Equal(2, (int)row["cells"]![1]!);
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
    }

    [Fact]
    public async Task Client_certificate_and_token_users_authenticate_and_bad_tokens_get_401()
    {
        foreach (var credential in new[] { UserCredential.Certificate, UserCredential.Token })
        {
            var kubeconfig = fx.Server.AddUser("alice", ["devs"], credential);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
            Assert.Equal("alice", review.Status.UserInfo.Username);
            Assert.Equal(["devs", "system:authenticated"], review.Status.UserInfo.Groups);
        }

        var sa = fx.Server.AddServiceAccountUser("apps", "deployer");
        using var saClient = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(sa));
        var saReview = await saClient.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview());
        Assert.Equal("system:serviceaccount:apps:deployer", saReview.Status.UserInfo.Username);
        Assert.Contains("system:serviceaccounts:apps", saReview.Status.UserInfo.Groups);

        using var bad = fx.Server.CreateHttpClient("not-a-token");
        var unauthorized = await RawResponse.SendAsync(bad, HttpMethod.Get, "/api/v1/namespaces", null);
        Assert.Equal(401, unauthorized.Code);
        Assert.Equal("Unauthorized", (string?)unauthorized.Json["reason"]);
    }

    [Fact]
    public async Task Injected_429s_are_answered_then_counted_in_the_request_log()
    {
        var ns = await fx.NamespaceAsync();
        var match = new RequestMatch { Verb = "create", Resource = "configmaps", Namespace = ns };
        using var rule = fx.Server.Faults.Add(new FaultRule(match, FaultTrigger.First(2), FaultAction.TooManyRequests(retryAfterSeconds: 1)));
        var mark = fx.Server.Requests.Mark();
        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var r = await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "c"));
            codes.Add(r.Code);
            if (r.Code == 429)
            {
                Assert.Equal("Too many requests, please try again later.\n", r.Body);
                Assert.Equal("1", r.Headers.GetValues("Retry-After").Single());
            }
        }

        Assert.Equal([429, 429, 201], codes);
        await fx.Server.Requests.WaitForCountAsync(match, 3, TimeSpan.FromSeconds(10), mark);
        var records = fx.Server.Requests.Records.Where(r => r.Seq > mark && match.Matches(r.Facts)).ToList();
        Assert.Equal([true, true, false], records.Select(r => r.Injected));
        Assert.Equal(3, fx.Server.Requests.CountSince(mark, match));
    }

    [Fact]
    public async Task Unknown_resources_and_unsupported_accept_types_are_refused()
    {
        Assert.Equal(404, (await fx.SendAsync(HttpMethod.Get, "/api/v1/widgets")).Code);
        var notAcceptable = await fx.SendAsync(HttpMethod.Get, "/api/v1/namespaces",
            headers: new Dictionary<string, string> { ["Accept"] = "application/vnd.kubernetes.protobuf" });
        Assert.Equal(406, notAcceptable.Code);
    }
}
