using System.Text.Json.Nodes;
using StageSet.Engine.Sources;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Sources;

/// <summary>Pure resolution logic against an in-memory reader (a stub of our own seam, allowed for pure logic).</summary>
public sealed class SourceResolverTests
{
    private sealed class Objects : ISourceReader
    {
        public List<(GroupVersionKind Gvk, JsonObject Obj)> Items { get; } = [];

        public int Calls { get; private set; }

        public Exception? Failure { get; set; }

        public Task<JsonObject?> GetAsync(GroupVersionKind kind, string ns, string name, CancellationToken ct)
        {
            Calls++;
            if (Failure is not null)
            {
                throw Failure;
            }

            return Task.FromResult(Items.Where(i => i.Gvk == kind && KubeObject.Namespace(i.Obj) == ns && KubeObject.Name(i.Obj) == name)
                .Select(i => i.Obj).FirstOrDefault());
        }

        public Task<IReadOnlyList<JsonObject>> ListExternalArtifactsAsync(string ns, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult<IReadOnlyList<JsonObject>>([.. Items.Where(i => i.Gvk.Kind == "ExternalArtifact" && KubeObject.Namespace(i.Obj) == ns).Select(i => i.Obj)]);
        }

        public Objects Add(string apiVersion, string kind, string ns, string name, string ready = "True", bool artifact = true,
            JsonObject? backRef = null, string digest = "sha256:abc")
        {
            var obj = new JsonObject
            {
                ["apiVersion"] = apiVersion,
                ["kind"] = kind,
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready, ["reason"] = ready == "True" ? "Succeeded" : "Failing" }),
                },
            };
            if (artifact)
            {
                obj["status"]!["artifact"] = new JsonObject { ["url"] = $"http://sc/{name}.tgz", ["digest"] = digest, ["revision"] = "v1@sha256:abc" };
            }

            if (backRef is not null)
            {
                obj["spec"] = new JsonObject { ["sourceRef"] = backRef };
            }

            Items.Add((GroupVersionKind.From(apiVersion, kind), obj));
            return this;
        }
    }

    private static JsonObject Back(string apiVersion, string kind, string name) =>
        new() { ["apiVersion"] = apiVersion, ["kind"] = kind, ["name"] = name };

    [Fact]
    public async Task The_default_kind_is_an_external_artifact_in_the_stageset_namespace()
    {
        var reader = new Objects().Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "web");
        var r = await new SourceResolver(reader).ResolveAsync(new SourceRef(null, null, "web"), "apps", default);
        Assert.Equal(new PinnedArtifact("http://sc/web.tgz", "sha256:abc", "v1@sha256:abc", "apps/web",
            new GroupVersionKind("source.toolkit.fluxcd.io", "v1", "ExternalArtifact")), r.Artifact);
    }

    [Theory]
    [InlineData("GitRepository")]
    [InlineData("OCIRepository")]
    [InlineData("Bucket")]
    public async Task Flux_source_kinds_are_read_directly(string kind)
    {
        var reader = new Objects().Add("source.toolkit.fluxcd.io/v1", kind, "flux", "repo");
        var r = await new SourceResolver(reader).ResolveAsync(new SourceRef(null, kind, "repo", "flux"), "flux", default);
        Assert.Equal("flux/repo", r.Artifact!.Key);
    }

    [Fact]
    public async Task An_explicit_older_api_version_is_honoured()
    {
        var reader = new Objects().Add("source.toolkit.fluxcd.io/v1beta2", "OCIRepository", "apps", "oci");
        var r = await new SourceResolver(reader).ResolveAsync(new SourceRef("source.toolkit.fluxcd.io/v1beta2", "OCIRepository", "oci"), "apps", default);
        Assert.True(r.Succeeded);
    }

    [Fact]
    public async Task A_producer_resolves_through_the_one_external_artifact_pointing_back()
    {
        var reader = new Objects()
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "snippet-ea", backRef: Back("jaas.metio.wtf/v1", "JsonnetSnippet", "snippet"))
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "other-group", backRef: Back("other.example/v1", "JsonnetSnippet", "snippet"))
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "other-name", backRef: Back("jaas.metio.wtf/v1", "JsonnetSnippet", "x"));
        var r = await new SourceResolver(reader).ResolveAsync(new SourceRef("jaas.metio.wtf/v2", "JsonnetSnippet", "snippet"), "apps", default);
        Assert.Equal("apps/snippet-ea", r.Artifact!.Key);
    }

    [Fact]
    public async Task Producer_resolution_failures()
    {
        var none = await new SourceResolver(new Objects()).ResolveAsync(new SourceRef("jaas.metio.wtf/v1", "JsonnetSnippet", "s"), "apps", default);
        Assert.Equal(("ArtifactNotFound", "no ExternalArtifact in namespace apps references JsonnetSnippet s"), (none.Reason, none.Message));

        var two = new Objects()
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "b", backRef: Back("jaas.metio.wtf/v1", "JsonnetSnippet", "s"))
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "a", backRef: Back("jaas.metio.wtf/v1", "JsonnetSnippet", "s"));
        var ambiguous = await new SourceResolver(two).ResolveAsync(new SourceRef("jaas.metio.wtf/v1", "JsonnetSnippet", "s"), "apps", default);
        Assert.Equal("ResolveFailed", ambiguous.Reason);
        Assert.Contains("2 ExternalArtifacts in namespace apps reference JsonnetSnippet s (a, b)", ambiguous.Message);

        var noVersion = await new SourceResolver(new Objects()).ResolveAsync(new SourceRef(null, "HelmChart", "c"), "apps", default);
        Assert.Equal("InvalidSpec", noVersion.Reason);
    }

    [Fact]
    public async Task Readiness_and_artifact_checks()
    {
        var reader = new Objects()
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "notready", ready: "False")
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "noartifact", artifact: false)
            .Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "apps", "nodigest", digest: "");
        var resolver = new SourceResolver(reader);
        var notReady = await resolver.ResolveAsync(new SourceRef(null, null, "notready"), "apps", default);
        Assert.Equal("SourceNotReady", notReady.Reason);
        Assert.Contains("Ready=False reason=Failing", notReady.Message);
        var noArtifact = await resolver.ResolveAsync(new SourceRef(null, null, "noartifact"), "apps", default);
        Assert.Equal(("ArtifactNotFound", "source has no status.artifact yet"), (noArtifact.Reason, noArtifact.Message));
        Assert.Equal("ArtifactNotFound", (await resolver.ResolveAsync(new SourceRef(null, null, "nodigest"), "apps", default)).Reason);
        var missing = await resolver.ResolveAsync(new SourceRef(null, null, "missing"), "apps", default);
        Assert.Equal(("ArtifactNotFound", "ExternalArtifact apps/missing not found"), (missing.Reason, missing.Message));
    }

    [Fact]
    public async Task Cross_namespace_refs_are_refused_before_any_call_when_disabled()
    {
        var reader = new Objects().Add("source.toolkit.fluxcd.io/v1", "ExternalArtifact", "flux", "web");
        var r = await new SourceResolver(reader, noCrossNamespaceRefs: true).ResolveAsync(new SourceRef(null, null, "web", "flux"), "apps", default);
        Assert.Equal("ResolveFailed", r.Reason);
        Assert.Equal(0, reader.Calls);
        Assert.True((await new SourceResolver(reader).ResolveAsync(new SourceRef(null, null, "web", "flux"), "apps", default)).Succeeded);
    }

    [Fact]
    public async Task Cross_namespace_failures_hide_the_details()
    {
        var reader = new Objects().Add("source.toolkit.fluxcd.io/v1", "GitRepository", "flux", "repo", ready: "False");
        var r = await new SourceResolver(reader).ResolveAsync(new SourceRef(null, "GitRepository", "repo", "flux"), "apps", default);
        Assert.Equal("SourceNotReady", r.Reason);
        Assert.Equal("cross-namespace GitRepository \"repo\" is not reachable; check the source CR's status in \"flux\"", r.Message);
    }

    [Fact]
    public async Task Api_errors_become_resolve_failed_and_access_denied_becomes_rbac_denied()
    {
        var reader = new Objects { Failure = new InvalidOperationException("connection refused") };
        Assert.Equal("ResolveFailed", (await new SourceResolver(reader).ResolveAsync(new SourceRef(null, null, "x"), "apps", default)).Reason);
        reader.Failure = new SourceAccessDeniedException("externalartifacts is forbidden");
        var denied = await new SourceResolver(reader).ResolveAsync(new SourceRef(null, null, "x"), "apps", default);
        Assert.Equal("RBACDenied", denied.Reason);
        Assert.Contains("forbidden", denied.Message);
    }
}
