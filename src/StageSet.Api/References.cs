using System.Collections.Frozen;
using System.Text.Json.Serialization;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>
/// Where a stage's (or an action's) manifests come from: an <c>ExternalArtifact</c> by default, a Flux source read
/// directly, or a producer object resolved through the ExternalArtifact that points back at it.
/// </summary>
[Description("A Flux artifact source: an ExternalArtifact (the default), a GitRepository, OCIRepository or Bucket read directly, or a producer kind whose ExternalArtifact points back at it.")]
public sealed record SourceReference
{
    [Description("API version of the referent; source.toolkit.fluxcd.io/v1 when empty. Needed for producer kinds, whose group is what gets compared.")]
    public string? ApiVersion { get; init; }

    [Description("Kind of the referent; ExternalArtifact when empty. Any kind other than ExternalArtifact, GitRepository, OCIRepository or Bucket is a producer.")]
    public string? Kind { get; init; }

    [Required]
    [Description("Name of the referent.")]
    public string Name { get; init; } = "";

    [Description("Namespace of the referent; the StageSet's own namespace when empty. Cross-namespace references can be denied by the controller.")]
    public string? Namespace { get; init; }

    /// <summary>The kind with its default applied.</summary>
    [JsonIgnore]
    public string EffectiveKind => string.IsNullOrEmpty(Kind) ? SourceKinds.ExternalArtifact : Kind;

    /// <summary>The API version with its default applied.</summary>
    [JsonIgnore]
    public string EffectiveApiVersion => string.IsNullOrEmpty(ApiVersion) ? SourceKinds.FluxSourceApiVersion : ApiVersion;

    /// <summary>
    /// True when the kind is read through an ExternalArtifact back-pointer rather than directly: any kind other
    /// than the four Flux source kinds, or one of them in a group other than Flux's source group.
    /// </summary>
    [JsonIgnore]
    public bool IsProducer
    {
        get
        {
            if (!SourceKinds.Direct.Contains(EffectiveKind))
            {
                return true;
            }

            var apiVersion = EffectiveApiVersion;
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var group = slash < 0 ? "" : apiVersion[..slash];
            return group != SourceKinds.FluxSourceGroup;
        }
    }

    /// <summary>The namespace with its default (the StageSet's) applied.</summary>
    public string EffectiveNamespace(string stageSetNamespace) => string.IsNullOrEmpty(Namespace) ? stageSetNamespace : Namespace;
}

/// <summary>Source kinds the controller reads without a producer back-pointer.</summary>
public static class SourceKinds
{
    public const string FluxSourceGroup = "source.toolkit.fluxcd.io";
    public const string FluxSourceApiVersion = "source.toolkit.fluxcd.io/v1";
    public const string ExternalArtifact = "ExternalArtifact";
    public const string GitRepository = "GitRepository";
    public const string OciRepository = "OCIRepository";
    public const string Bucket = "Bucket";

    public static FrozenSet<string> Direct { get; } =
        new[] { ExternalArtifact, GitRepository, OciRepository, Bucket }.ToFrozenSet(StringComparer.Ordinal);
}

/// <summary>A Secret in the StageSet's namespace, and optionally one of its keys (Flux <c>meta.SecretKeyReference</c>).</summary>
[Description("A Secret in the StageSet's namespace and, optionally, one key in it.")]
public sealed record SecretKeyReference
{
    [Required]
    [Description("Name of the Secret.")]
    public string Name { get; init; } = "";

    [Description("Key in the Secret's data; each use documents its own default.")]
    public string? Key { get; init; }
}

/// <summary>An object in the StageSet's namespace, by name (Flux <c>meta.LocalObjectReference</c>).</summary>
[Description("An object in the StageSet's namespace, by name.")]
public sealed record LocalObjectReference
{
    [Required]
    [Description("Name of the referent.")]
    public string Name { get; init; } = "";
}

/// <summary>A namespaced object by kind and name (Flux <c>meta.NamespacedObjectKindReference</c>).</summary>
[Description("An object by API version, kind, name and namespace.")]
public sealed record NamespacedObjectKindReference
{
    [Description("API version of the referent; empty means the core group at the server's preferred version. Only the group is used for readiness checks.")]
    public string? ApiVersion { get; init; }

    [Required]
    [Description("Kind of the referent.")]
    public string Kind { get; init; } = "";

    [Required]
    [Description("Name of the referent.")]
    public string Name { get; init; } = "";

    [Description("Namespace of the referent; the StageSet's namespace when empty, ignored for cluster-scoped kinds.")]
    public string? Namespace { get; init; }
}

/// <summary>A remote cluster to apply to (Flux <c>meta.KubeConfigReference</c>).</summary>
[Description("A remote cluster to apply to; inventories and status stay on the local cluster. Exactly one of secretRef and configMapRef.")]
[ValidationRule("has(self.configMapRef) || has(self.secretRef)", KubeConfigReference.ExactlyOneMessage)]
[ValidationRule("!has(self.configMapRef) || !has(self.secretRef)", KubeConfigReference.ExactlyOneMessage)]
public sealed record KubeConfigReference
{
    public const string ExactlyOneMessage = "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified";

    [Description("A ConfigMap describing cloud workload-identity access to the cluster. Not supported by this controller yet.")]
    public LocalObjectReference? ConfigMapRef { get; init; }

    [Description("A Secret holding a self-contained kubeconfig; the key defaults to \"value\".")]
    public SecretKeyReference? SecretRef { get; init; }
}
