namespace StageSet.Manifests.Schema;

/// <summary>
/// How Kubernetes merges one field: the strategic-merge-patch tags (<c>patchStrategy</c>, <c>patchMergeKey</c>)
/// and the server-side-apply markers (<c>+listType</c>, <c>+listMapKey</c>, <c>+mapType</c>) of the Go type.
/// </summary>
internal sealed record FieldSemantics(
    string? PatchStrategy = null,
    string? PatchMergeKey = null,
    string? ListType = null,
    IReadOnlyList<string>? ListMapKeys = null,
    string? MapType = null);

/// <summary>
/// The Kubernetes list and map semantics the typed client models cannot carry (api-server.md §5), keyed by the
/// model type and JSON field. Lists not listed here are atomic for server-side apply and replaced by strategic
/// merge patch, as in Kubernetes. Every <c>conditions</c> list of a built-in status merges by <c>type</c> unless
/// listed otherwise.
/// </summary>
internal static class ListSemantics
{
    // Declared before the table that uses them: static initialisers run in text order.
    private static readonly FieldSemantics Atomic = new(ListType: "atomic");
    private static readonly FieldSemantics AtomicMap = new(MapType: "atomic");

    private static readonly Dictionary<string, FieldSemantics> Fields = new(StringComparer.Ordinal)
    {
        // metav1.ObjectMeta
        ["V1ObjectMeta.finalizers"] = new("merge", ListType: "set"),
        ["V1ObjectMeta.ownerReferences"] = MergeMap("uid"),

        // core/v1 PodSpec and containers
        ["V1PodSpec.volumes"] = MergeMap("name", strategy: "merge,retainKeys"),
        ["V1PodSpec.initContainers"] = MergeMap("name"),
        ["V1PodSpec.containers"] = MergeMap("name"),
        ["V1PodSpec.ephemeralContainers"] = MergeMap("name"),
        ["V1PodSpec.imagePullSecrets"] = MergeMap("name"),
        ["V1PodSpec.hostAliases"] = MergeMap("ip"),
        ["V1PodSpec.topologySpreadConstraints"] = MergeMap("topologyKey", mapKeys: ["topologyKey", "whenUnsatisfiable"]),
        ["V1PodSpec.schedulingGates"] = MergeMap("name"),
        ["V1PodSpec.resourceClaims"] = MergeMap("name", strategy: "merge,retainKeys"),
        ["V1PodSpec.nodeSelector"] = AtomicMap,
        ["V1PodSecurityContext.supplementalGroups"] = Atomic,
        ["V1Container.ports"] = MergeMap("containerPort", mapKeys: ["containerPort", "protocol"]),
        ["V1Container.env"] = MergeMap("name"),
        ["V1Container.volumeMounts"] = MergeMap("mountPath"),
        ["V1Container.volumeDevices"] = MergeMap("devicePath"),
        ["V1EphemeralContainer.ports"] = MergeMap("containerPort", mapKeys: ["containerPort", "protocol"]),
        ["V1EphemeralContainer.env"] = MergeMap("name"),
        ["V1EphemeralContainer.volumeMounts"] = MergeMap("mountPath"),
        ["V1EphemeralContainer.volumeDevices"] = MergeMap("devicePath"),
        ["V1ResourceRequirements.claims"] = new(ListType: "map", ListMapKeys: ["name"]),
        ["V1PodStatus.podIPs"] = MergeMap("ip"),
        ["V1PodStatus.hostIPs"] = new("merge", "ip", ListType: "atomic"),
        ["V1PodStatus.resourceClaimStatuses"] = MergeMap("name", strategy: "merge,retainKeys"),

        // core/v1 other kinds
        ["V1ServiceSpec.ports"] = MergeMap("port", mapKeys: ["port", "protocol"]),
        ["V1ServiceSpec.selector"] = AtomicMap,
        ["V1ReplicationControllerSpec.selector"] = AtomicMap,
        ["V1ServiceAccount.secrets"] = MergeMap("name"),
        ["V1NodeSpec.podCIDRs"] = new("merge", ListType: "set"),
        ["V1NodeStatus.addresses"] = MergeMap("type"),
        ["V1EndpointSubset.addresses"] = Atomic,
        ["V1PersistentVolumeSpec.mountOptions"] = Atomic,

        // batch/v1: Job conditions merge by type for SMP but are atomic for server-side apply.
        ["V1JobStatus.conditions"] = new("merge", "type", ListType: "atomic"),

        // apps/v1
        ["V1DeploymentSpec.strategy"] = new("retainKeys"),

        // apiextensions.k8s.io/v1: conditions are a map for SSA without SMP tags.
        ["V1CustomResourceDefinitionStatus.conditions"] = new(ListType: "map", ListMapKeys: ["type"]),
        ["V1APIServiceStatus.conditions"] = new(ListType: "map", ListMapKeys: ["type"]),

        // admissionregistration.k8s.io/v1
        ["V1ValidatingWebhookConfiguration.webhooks"] = MergeMap("name"),
        ["V1MutatingWebhookConfiguration.webhooks"] = MergeMap("name"),
        ["V1ValidatingWebhook.matchConditions"] = MergeMap("name"),
        ["V1MutatingWebhook.matchConditions"] = MergeMap("name"),
        ["V1ValidatingAdmissionPolicySpec.matchConditions"] = MergeMap("name"),
        ["V1ValidatingAdmissionPolicySpec.variables"] = Atomic,
    };

    // Go types marked +structType=atomic: replaced as a whole by server-side apply.
    private static readonly HashSet<string> AtomicStructs = new(StringComparer.Ordinal)
    {
        "V1LabelSelector",
        "V1ObjectReference",
        "V1LocalObjectReference",
        "V1TypedLocalObjectReference",
        "V1NodeSelector",
        "V1NodeSelectorTerm",
        "V1TopologySelectorTerm",
        "V1ConfigMapKeySelector",
        "V1SecretKeySelector",
        "V1ObjectFieldSelector",
        "V1ResourceFieldSelector",
        "V1SecretReference",
        "V1FileKeySelector",
    };

    /// <summary>The semantics of <paramref name="jsonField"/> of <paramref name="modelType"/>; null when the defaults apply.</summary>
    public static FieldSemantics? For(Type modelType, string jsonField, Type? itemType)
    {
        if (Fields.TryGetValue(modelType.Name + "." + jsonField, out var known))
        {
            return known;
        }

        // Status conditions of built-in kinds: +patchMergeKey=type +patchStrategy=merge +listType=map +listMapKey=type.
        if (jsonField == "conditions" && modelType.Name.EndsWith("Status", StringComparison.Ordinal) &&
            itemType?.GetProperty("Type") is not null)
        {
            return MergeMap("type");
        }

        return null;
    }

    public static bool IsAtomicStruct(Type modelType) => AtomicStructs.Contains(modelType.Name);

    private static FieldSemantics MergeMap(string key, string strategy = "merge", IReadOnlyList<string>? mapKeys = null) =>
        new(strategy, key, "map", mapKeys ?? [key]);
}
