using StageSet.Manifests;

namespace StageSet.LocalApiServer.Registry;

/// <summary>When <c>metadata.generation</c> is set and bumped (api-server.md §3.2).</summary>
internal enum GenerationRule
{
    /// <summary>Never set.</summary>
    None,

    /// <summary>1 on create; +1 when <c>spec</c> changes.</summary>
    Spec,

    /// <summary>Deployment: +1 when <c>spec</c> or <c>metadata.annotations</c> change.</summary>
    SpecOrAnnotations,

    /// <summary>ValidatingWebhookConfiguration: +1 when <c>webhooks</c> change.</summary>
    Webhooks,

    /// <summary>Custom resources: +1 on any change outside <c>metadata</c> (status too when it is plain content).</summary>
    AllButMetadata,
}

/// <summary>A served REST resource at one group/version, built in or from a CustomResourceDefinition.</summary>
internal sealed record ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>The plural, e.g. <c>deployments</c>.</summary>
    public required string Resource { get; init; }

    public required string Kind { get; init; }

    /// <summary>Set by CRDs (<c>names.singular</c>); built-ins use the lower-case kind.</summary>
    public string? SingularName { get; init; }

    public string Singular => SingularName ?? Kind.ToLowerInvariant();

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = ResourceVerbs.All;

    /// <summary>Served subresources (<c>status</c>, <c>scale</c>, <c>finalize</c>, <c>token</c>).</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    public GenerationRule Generation { get; init; } = GenerationRule.None;

    /// <summary>DELETE without finalizers answers with the object instead of a Success Status (pods, services, …).</summary>
    public bool DeleteReturnsObject { get; init; }

    /// <summary>Review kinds (SelfSubjectAccessReview, …): create only, never stored.</summary>
    public bool IsReview { get; init; }

    /// <summary>The CRD that serves this resource; null for built-ins.</summary>
    public CustomResourceInfo? Custom { get; init; }

    public bool IsCustom => Custom is not null;

    /// <summary>One store per group and resource: every served version of a kind reads and writes the same objects.</summary>
    public string StorageKey => Group.Length == 0 ? Resource : Resource + "." + Group;

    /// <summary><c>plural</c> or <c>plural.group</c>, as Status messages name the resource.</summary>
    public string GroupResource => StorageKey;

    /// <summary><c>Kind</c> or <c>Kind.group</c>, as 422 messages name the kind.</summary>
    public string GroupKind => Group.Length == 0 ? Kind : Kind + "." + Group;

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public GroupVersionKind Gvk => new(Group, Version, Kind);

    public GroupVersionResource Gvr => new(Group, Version, Resource);

    public bool HasSubresource(string name) => Subresources.Contains(name);

    /// <summary>Whether <c>status</c> is isolated behind a subresource (so the main endpoint ignores it).</summary>
    public bool HasStatus => HasSubresource("status");
}

/// <summary>What a CRD adds to its resources: schema, scale paths, printer columns.</summary>
internal sealed record CustomResourceInfo(
    string CrdName,
    Manifests.Schema.JsonSchemaProps? Schema,
    ScaleSubresource? Scale,
    IReadOnlyList<PrinterColumn> PrinterColumns,
    string StorageVersion)
{
    /// <summary>The structural form of <see cref="Schema"/> that prunes, defaults and validates; null if not structural.</summary>
    public Manifests.Schema.StructuralSchema? Structural { get; } =
        Schema is null ? null : Manifests.Schema.StructuralSchema.Create(Schema, out _);
}

internal sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

internal sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, string JsonPath);

internal static class ResourceVerbs
{
    public static readonly IReadOnlyList<string> All = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static readonly IReadOnlyList<string> NoDeleteCollection = ["create", "delete", "get", "list", "patch", "update", "watch"];

    public static readonly IReadOnlyList<string> CreateOnly = ["create"];

    public static readonly IReadOnlyList<string> Subresource = ["get", "patch", "update"];
}
