using System.Collections.Frozen;
using StageSet.Manifests;
using static StageSet.LocalApiServer.Protobuf.ProtoFieldType;

namespace StageSet.LocalApiServer.Protobuf;

/// <summary>
/// Field numbers of the Kubernetes types kubectl 1.32 sends as protobuf (api-server.md §0.1), taken from the
/// <c>generated.proto</c> files of k8s.io/api and apimachinery. Only request-side fields are listed; status fields and
/// anything else are skipped like unknown fields.
/// </summary>
internal static class KubeProtoMessages
{
    private static readonly ProtoMessage Time = new("Time");

    private static readonly ProtoMessage OwnerReference = new(
        "OwnerReference",
        new(5, "apiVersion", Text),
        new(1, "kind", Text),
        new(3, "name", Text),
        new(4, "uid", Text),
        new(6, "controller", Flag),
        new(7, "blockOwnerDeletion", Flag));

    private static readonly ProtoMessage ObjectMeta = new(
        "ObjectMeta",
        new(1, "name", Text),
        new(2, "generateName", Text),
        new(3, "namespace", Text),
        new(5, "uid", Text),
        new(6, "resourceVersion", Text),
        new(7, "generation", Integer),
        new(8, "creationTimestamp", Timestamp, Message: Time),
        new(9, "deletionTimestamp", Timestamp, Message: Time),
        new(10, "deletionGracePeriodSeconds", Integer),
        new(11, "labels", TextMap),
        new(12, "annotations", TextMap),
        new(13, "ownerReferences", Nested, Repeated: true, Message: OwnerReference),
        new(14, "finalizers", Text, Repeated: true));

    private static readonly ProtoField Metadata = new(1, "metadata", Nested, Message: ObjectMeta);

    private static readonly ProtoMessage Namespace = new(
        "Namespace",
        Metadata,
        new(2, "spec", Nested, Message: new ProtoMessage("NamespaceSpec", new ProtoField(1, "finalizers", Text, Repeated: true))));

    private static readonly ProtoMessage ConfigMap = new(
        "ConfigMap",
        Metadata,
        new(4, "immutable", Flag),
        new(2, "data", TextMap),
        new(3, "binaryData", BlobMap));

    private static readonly ProtoMessage Secret = new(
        "Secret",
        Metadata,
        new(5, "immutable", Flag),
        new(2, "data", BlobMap),
        new(4, "stringData", TextMap),
        new(3, "type", Text));

    private static readonly ProtoMessage ObjectReference = new(
        "ObjectReference",
        new(1, "kind", Text),
        new(2, "namespace", Text),
        new(3, "name", Text),
        new(4, "uid", Text),
        new(5, "apiVersion", Text),
        new(6, "resourceVersion", Text),
        new(7, "fieldPath", Text));

    private static readonly ProtoMessage ServiceAccount = new(
        "ServiceAccount",
        Metadata,
        new(2, "secrets", Nested, Repeated: true, Message: ObjectReference),
        new(3, "imagePullSecrets", Nested, Repeated: true, Message: new ProtoMessage("LocalObjectReference", new ProtoField(1, "name", Text))),
        new(4, "automountServiceAccountToken", Flag));

    private static readonly ProtoField ResourceAttributes = new(1, "resourceAttributes", Nested, Message: new ProtoMessage(
        "ResourceAttributes",
        new(1, "namespace", Text),
        new(2, "verb", Text),
        new(3, "group", Text),
        new(4, "version", Text),
        new(5, "resource", Text),
        new(6, "subresource", Text),
        new(7, "name", Text)));

    private static readonly ProtoField NonResourceAttributes = new(2, "nonResourceAttributes", Nested, Message: new ProtoMessage(
        "NonResourceAttributes",
        new(1, "path", Text),
        new(2, "verb", Text)));

    private static readonly ProtoMessage SelfSubjectAccessReview = new(
        "SelfSubjectAccessReview",
        Metadata,
        new(2, "spec", Nested, Message: new ProtoMessage("SelfSubjectAccessReviewSpec", ResourceAttributes, NonResourceAttributes)));

    private static readonly ProtoMessage SubjectAccessReview = new(
        "SubjectAccessReview",
        Metadata,
        new(2, "spec", Nested, Message: new ProtoMessage(
            "SubjectAccessReviewSpec",
            ResourceAttributes,
            NonResourceAttributes,
            new(3, "user", Text),
            new(4, "groups", Text, Repeated: true),
            new(5, "extra", TextListMap),
            new(6, "uid", Text))));

    private static readonly ProtoMessage SelfSubjectRulesReview = new(
        "SelfSubjectRulesReview",
        Metadata,
        new(2, "spec", Nested, Message: new ProtoMessage("SelfSubjectRulesReviewSpec", new ProtoField(1, "namespace", Text))));

    private static readonly ProtoMessage SelfSubjectReview = new("SelfSubjectReview", Metadata);

    private static readonly ProtoMessage TokenRequest = new(
        "TokenRequest",
        Metadata,
        new(2, "spec", Nested, Message: new ProtoMessage(
            "TokenRequestSpec",
            new(1, "audiences", Text, Repeated: true),
            new(3, "boundObjectRef", Nested, Message: new ProtoMessage(
                "BoundObjectReference",
                new(1, "kind", Text),
                new(2, "apiVersion", Text),
                new(3, "name", Text),
                new(4, "uid", Text))),
            new(4, "expirationSeconds", Integer))));

    public static FrozenDictionary<GroupVersionKind, ProtoMessage> ByKind { get; } = new Dictionary<GroupVersionKind, ProtoMessage>
    {
        [new("", "v1", "Namespace")] = Namespace,
        [new("", "v1", "ConfigMap")] = ConfigMap,
        [new("", "v1", "Secret")] = Secret,
        [new("", "v1", "ServiceAccount")] = ServiceAccount,
        [new("authorization.k8s.io", "v1", "SelfSubjectAccessReview")] = SelfSubjectAccessReview,
        [new("authorization.k8s.io", "v1", "SelfSubjectRulesReview")] = SelfSubjectRulesReview,
        [new("authorization.k8s.io", "v1", "SubjectAccessReview")] = SubjectAccessReview,
        [new("authorization.k8s.io", "v1", "LocalSubjectAccessReview")] = SubjectAccessReview,
        [new("authentication.k8s.io", "v1", "SelfSubjectReview")] = SelfSubjectReview,
        [new("authentication.k8s.io", "v1beta1", "SelfSubjectReview")] = SelfSubjectReview,
        [new("authentication.k8s.io", "v1alpha1", "SelfSubjectReview")] = SelfSubjectReview,
        [new("authentication.k8s.io", "v1", "TokenRequest")] = TokenRequest,
    }.ToFrozenDictionary();
}
