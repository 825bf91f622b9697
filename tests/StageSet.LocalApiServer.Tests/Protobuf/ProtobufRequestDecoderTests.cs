using System.Text;
using StageSet.LocalApiServer.Protobuf;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Tests.Protobuf;

public class ProtobufRequestDecoderTests
{
    [Fact]
    public void Writer_reproduces_the_body_kubectl_1_32_posts_for_create_configmap()
    {
        // Captured once from `kubectl create configmap c --from-literal=a=b` against a recording HTTP server:
        // magic | typeMeta{"v1","ConfigMap"} | raw{metadata{name "c", five empty strings, generation 0, empty
        // creationTimestamp}, data{"a":"b"}} | contentEncoding "" | contentType "".
        const string Captured = "6b387300" + "0a0f0a0276311209436f6e6669674d6170" + "121b0a110a016312001a0022002a00320038004200"
            + "12060a01611201621a002200";
        var built = ProtoWriter.Envelope("v1", "ConfigMap", w => w.Message(1, ProtoWriter.ObjectMeta("c")).MapEntry(2, "a", "b"));

        Assert.Equal(Captured, Convert.ToHexStringLower(built));
    }

    [Fact]
    public void ConfigMap_decodes_like_kubectl_dry_run_output()
    {
        var body = ProtoWriter.Envelope("v1", "ConfigMap", w => w
            .Message(1, ProtoWriter.ObjectMeta("c", "default"))
            .MapEntry(2, "b", "2")
            .MapEntry(2, "a", "")
            .MapEntry(3, "bin", [0x00, 0xFF])
            .Bool(4, true));

        var obj = ProtobufRequestDecoder.Decode(body);

        JsonAssert.Equal(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"immutable":true,"data":{"a":"","b":"2"},"binaryData":{"bin":"AP8="}}""",
            obj);
        Assert.Equal(["a", "b"], obj["data"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Namespace_keeps_its_empty_spec_and_skips_status()
    {
        // kubectl also sends status{phase ""} (field 3), which the server resets anyway.
        var body = ProtoWriter.Envelope("v1", "Namespace", w => w
            .Message(1, ProtoWriter.ObjectMeta("n1"))
            .Message(2, _ => { })
            .Message(3, s => s.String(1, "")));

        JsonAssert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n1"},"spec":{}}""", ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void Secret_data_is_base64_and_type_and_string_data_are_kept()
    {
        var body = ProtoWriter.Envelope("v1", "Secret", w => w
            .Message(1, ProtoWriter.ObjectMeta("s"))
            .MapEntry(2, "k", Encoding.UTF8.GetBytes("v"))
            .String(3, "kubernetes.io/tls")
            .MapEntry(4, "plain", "text"));

        JsonAssert.Equal(
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"dg=="},"stringData":{"plain":"text"},"type":"kubernetes.io/tls"}""",
            ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void Secret_with_empty_type_omits_it()
    {
        var body = ProtoWriter.Envelope("v1", "Secret", w => w.Message(1, ProtoWriter.ObjectMeta("s")).String(3, ""));

        JsonAssert.Equal("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}""", ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void ServiceAccount_keeps_a_written_false_pointer_bool()
    {
        var body = ProtoWriter.Envelope("v1", "ServiceAccount", w => w
            .Message(1, ProtoWriter.ObjectMeta("deployer", "apps"))
            .Message(3, r => r.String(1, "regcred"))
            .Message(3, r => r.String(1, "other"))
            .Bool(4, false));

        JsonAssert.Equal(
            """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"deployer","namespace":"apps"},"imagePullSecrets":[{"name":"regcred"},{"name":"other"}],"automountServiceAccountToken":false}""",
            ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void Object_meta_maps_lists_owner_references_and_times_decode()
    {
        var body = ProtoWriter.Envelope("v1", "ConfigMap", w => w.Message(1, m => m
            .String(1, "c").String(2, "gen-").String(3, "ns").String(4, "").String(5, "u-1").String(6, "42").Int(7, 3)
            .Message(8, t => t.Int(1, 1_700_000_000).Int(2, 999))
            .MapEntry(11, "z", "1").MapEntry(11, "app", "web")
            .MapEntry(12, "note", "x")
            .Message(13, o => o.String(1, "Deployment").String(3, "web").String(4, "uid-9").String(5, "apps/v1").Bool(6, true).Bool(7, false))
            .String(14, "example.com/a").String(14, "example.com/b")));

        JsonAssert.Equal(
            """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","generateName":"gen-","namespace":"ns","uid":"u-1",
             "resourceVersion":"42","generation":3,"creationTimestamp":"2023-11-14T22:13:20Z",
             "labels":{"app":"web","z":"1"},"annotations":{"note":"x"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"uid-9","controller":true,"blockOwnerDeletion":false}],
             "finalizers":["example.com/a","example.com/b"]}}
            """,
            ProtobufRequestDecoder.Decode(body));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-62135596800L)]
    public void Zero_and_go_zero_times_are_absent_never_1970(long seconds)
    {
        var body = ProtoWriter.Envelope("v1", "ConfigMap", w => w.Message(1, m => m.String(1, "c").Message(8, t => t.Int(1, seconds))));

        JsonAssert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""", ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void SelfSubjectAccessReview_resource_attributes_decode_and_status_is_skipped()
    {
        // As `kubectl auth can-i get pods` sends it: every attribute string written, plus an empty status.
        var body = ProtoWriter.Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", w => w
            .Message(1, ProtoWriter.ObjectMeta())
            .Message(2, s => s.Message(1, r => r
                .String(1, "default").String(2, "get").String(3, "").String(4, "").String(5, "pods").String(6, "").String(7, "")))
            .Message(3, st => st.Bool(1, false).String(2, "").String(3, "").Bool(4, false)));

        JsonAssert.Equal(
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}}}""",
            ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void SelfSubjectAccessReview_non_resource_attributes_decode()
    {
        var body = ProtoWriter.Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", w => w
            .Message(1, ProtoWriter.ObjectMeta())
            .Message(2, s => s.Message(2, n => n.String(1, "/healthz").String(2, "get"))));

        JsonAssert.Equal(
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}}}""",
            ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void SubjectAccessReview_user_groups_and_extra_decode()
    {
        var body = ProtoWriter.Envelope("authorization.k8s.io/v1", "SubjectAccessReview", w => w
            .Message(1, ProtoWriter.ObjectMeta())
            .Message(2, s => s
                .Message(1, r => r.String(2, "list").String(5, "secrets"))
                .String(3, "alice").String(4, "dev").String(4, "ops")
                .Message(5, e => e.String(1, "scopes").Message(2, v => v.String(1, "a").String(1, "b")))
                .String(6, "uid-1")));

        JsonAssert.Equal(
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","metadata":{},"spec":{"resourceAttributes":{"verb":"list","resource":"secrets"},"user":"alice","groups":["dev","ops"],"extra":{"scopes":["a","b"]},"uid":"uid-1"}}""",
            ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void SelfSubjectRulesReview_namespace_decodes()
    {
        var body = ProtoWriter.Envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", w => w
            .Message(1, ProtoWriter.ObjectMeta())
            .Message(2, s => s.String(1, "ns1"))
            .Message(3, st => st.Bool(3, false).String(4, "")));

        JsonAssert.Equal(
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},"spec":{"namespace":"ns1"}}""",
            ProtobufRequestDecoder.Decode(body));
    }

    [Theory]
    [InlineData("authentication.k8s.io/v1")]
    [InlineData("authentication.k8s.io/v1beta1")]
    [InlineData("authentication.k8s.io/v1alpha1")]
    public void SelfSubjectReview_decodes_in_every_version_kubectl_tries(string apiVersion)
    {
        var body = ProtoWriter.Envelope(apiVersion, "SelfSubjectReview", w => w
            .Message(1, ProtoWriter.ObjectMeta())
            .Message(2, st => st.Message(1, u => u.String(1, "").String(2, ""))));

        JsonAssert.Equal("""{"apiVersion":"X","kind":"SelfSubjectReview","metadata":{}}""".Replace("X", apiVersion, StringComparison.Ordinal), ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void TokenRequest_audiences_and_expiration_decode()
    {
        var body = ProtoWriter.Envelope("authentication.k8s.io/v1", "TokenRequest", w => w
            .Message(1, ProtoWriter.ObjectMeta())
            .Message(2, s => s.String(1, "a1").Message(3, b => b.String(1, "Pod").String(2, "v1").String(3, "p").String(4, "")).Int(4, 600))
            .Message(3, st => st.String(1, "").Message(2, _ => { })));

        JsonAssert.Equal(
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{},"spec":{"audiences":["a1"],"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"p"},"expirationSeconds":600}}""",
            ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped()
    {
        var body = ProtoWriter.Envelope("v1", "ConfigMap", w => w
            .Message(1, m => m.String(1, "c").Raw(0x79, 1, 2, 3, 4, 5, 6, 7, 8).Raw(0x7D, 1, 2, 3, 4).Int(99, 7).String(98, "x"))
            .MapEntry(2, "a", "b")
            .Message(77, _ => { }));

        JsonAssert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"b"}}""", ProtobufRequestDecoder.Decode(body));
    }

    [Fact]
    public void Unsupported_kind_is_reported_with_its_kind()
    {
        var body = ProtoWriter.Envelope("apps/v1", "Deployment", w => w.Message(1, ProtoWriter.ObjectMeta("web")));

        var ex = Assert.Throws<UnsupportedProtobufKindException>(() => ProtobufRequestDecoder.Decode(body));

        Assert.Equal(new GroupVersionKind("apps", "v1", "Deployment"), ex.Gvk);
        Assert.Contains("apps/v1, Kind=Deployment", ex.Message);
        Assert.True(ProtobufRequestDecoder.Supports(new GroupVersionKind("", "v1", "ConfigMap")));
        Assert.False(ProtobufRequestDecoder.Supports(new GroupVersionKind("apps", "v1", "Deployment")));
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "no magic", Encoding.UTF8.GetBytes("""{"kind":"ConfigMap"}""") },
        { "empty", [] },
        { "magic only", [0x6B, 0x38, 0x73, 0x00] },
        { "truncated length", [0x6B, 0x38, 0x73, 0x00, 0x0A, 0x20, 0x0A] },
        { "endless varint", [0x6B, 0x38, 0x73, 0x00, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
        { "group wire type", [0x6B, 0x38, 0x73, 0x00, 0x0B] },
        { "field zero", [0x6B, 0x38, 0x73, 0x00, 0x02, 0x00] },
        { "gzip encoding", ProtoWriter.Envelope("v1", "ConfigMap", _ => { })[..^4].Concat(new ProtoWriter().String(3, "gzip").String(4, "").ToArray()).ToArray() },
        { "name as varint", ProtoWriter.Envelope("v1", "ConfigMap", w => w.Message(1, m => m.Int(1, 5))) },
        { "raw truncated inside", ProtoWriter.Envelope("v1", "ConfigMap", w => w.Raw(0x0A, 0x05, 0x0A)) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_bodies_are_format_errors(string why, byte[] body)
    {
        var ex = Assert.ThrowsAny<FormatException>(() => ProtobufRequestDecoder.Decode(body));
        Assert.False(string.IsNullOrEmpty(ex.Message), why);
    }

    [Fact]
    public void Random_corruptions_of_a_valid_body_only_ever_raise_format_errors()
    {
        var valid = ProtoWriter.Envelope("v1", "Secret", w => w
            .Message(1, ProtoWriter.ObjectMeta("s", "ns", m => m.MapEntry(11, "a", "b").String(14, "f")))
            .MapEntry(2, "k", [1, 2, 3])
            .String(3, "Opaque"));
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var body = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                body[random.Next(4, body.Length)] = (byte)random.Next(256);
            }

            try
            {
                ProtobufRequestDecoder.Decode(body);
            }
            catch (FormatException)
            {
                // Expected for most corruptions; anything else fails the test.
            }
        }
    }
}
