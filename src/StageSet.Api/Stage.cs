using System.Text.Json.Serialization;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>One ordered, gated unit of a StageSet.</summary>
[Description("One stage: where its manifests come from, how they are shaped, applied and verified, and the actions around it.")]
public sealed record Stage
{
    [Required]
    [Description("Stage name, unique in the StageSet; keys its inventory and status. A DNS label (at most 63 characters, since it is used as a label value).")]
    [Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string Name { get; init; } = "";

    [Description("A role name a migration's stage may refer to instead of this stage's name; stage names and anchors must be unique together.")]
    public string? MigrationAnchor { get; init; }

    [Required]
    [Description("Where this stage's manifests come from.")]
    public SourceReference SourceRef { get; init; } = new();

    [Description("The directory inside the artifact to build; the artifact root when empty. Must stay inside the artifact.")]
    public string? Path { get; init; }

    [Description("The ServiceAccount for this stage's apply, prune, verify and actions, overriding spec.serviceAccountName.")]
    public string? ServiceAccountName { get; init; }

    [Description("Whether objects that leave this stage are deleted (default true). When false they are also left behind when the StageSet is deleted.")]
    public bool? Prune { get; init; }

    [Description("Bounds this stage's verify phase, overriding spec.timeout; not positive falls through to spec.timeout.")]
    public Duration? Timeout { get; init; }

    [Description("Overrides spec.onTimeout for this stage: Hold or Rollback.")]
    [Enum(TimeoutActions.Hold, TimeoutActions.Rollback)]
    public string? OnTimeout { get; init; }

    [Description("Recreate objects whose immutable fields changed; shorthand for conflictPolicy.default Recreate.")]
    public bool Force { get; init; }

    [Description("How to handle objects whose immutable fields changed, per object.")]
    public ConflictPolicy? ConflictPolicy { get; init; }

    [Description("Whether objects with helm.sh/hook annotations are applied like any other (default true) or left out. Accepted for compatibility.")]
    public bool? ApplyHelmHookResources { get; init; }

    [Description("Kustomize patches (strategic merge or JSON 6902) applied after the build.")]
    public IReadOnlyList<KustomizePatch>? Patches { get; init; }

    [Description("${var} substitution after build and patches.")]
    public PostBuild? PostBuild { get; init; }

    [Description("Typed actions before, after and on failure of the stage.")]
    public StageActions? Actions { get; init; }

    [Description("What must be healthy before the stage counts as done; every applied object by default.")]
    public ReadyChecks? ReadyChecks { get; init; }

    /// <summary>Whether pruning is on for this stage (its default is true).</summary>
    [JsonIgnore]
    public bool EffectivePrune => Prune ?? true;
}

/// <summary>A kustomize patch (Flux <c>kustomize.Patch</c>).</summary>
[Description("A kustomize patch: a strategic-merge patch or a JSON 6902 operation list, optionally limited to a target.")]
public sealed record KustomizePatch
{
    [Required]
    [Description("The patch document, YAML or JSON; kustomize detects its kind.")]
    public string Patch { get; init; } = "";

    [Description("The objects to patch; a JSON 6902 patch needs one.")]
    public KustomizeSelector? Target { get; init; }
}

/// <summary>Which objects a kustomize patch applies to (Flux <c>kustomize.Selector</c>).</summary>
[Description("Selects objects for a patch; empty fields match anything, name and namespace are regular expressions.")]
public sealed record KustomizeSelector
{
    [Description("API group of the objects.")]
    public string? Group { get; init; }

    [Description("API version of the objects.")]
    public string? Version { get; init; }

    [Description("Kind of the objects.")]
    public string? Kind { get; init; }

    [Description("A regular expression the object namespace must match.")]
    public string? Namespace { get; init; }

    [Description("A regular expression the object name must match.")]
    public string? Name { get; init; }

    [Description("An annotation selector the objects must match.")]
    public string? AnnotationSelector { get; init; }

    [Description("A label selector the objects must match.")]
    public string? LabelSelector { get; init; }
}

/// <summary>Post-build variable substitution.</summary>
[Description("Replaces ${var} references after the build, from inline values and from ConfigMaps and Secrets.")]
public sealed record PostBuild
{
    [Description("Inline variables; they override every substituteFrom value.")]
    public IReadOnlyDictionary<string, string>? Substitute { get; init; }

    [Description("ConfigMaps and Secrets in this namespace to read variables from; later entries override earlier ones.")]
    public IReadOnlyList<SubstituteReference>? SubstituteFrom { get; init; }
}

/// <summary>A ConfigMap or Secret holding substitution variables.</summary>
[Description("A ConfigMap or Secret whose data are substitution variables.")]
public sealed record SubstituteReference
{
    [Required]
    [Description("ConfigMap or Secret.")]
    [Enum(SubstituteKinds.ConfigMap, SubstituteKinds.Secret)]
    public string Kind { get; init; } = "";

    [Required]
    [Description("Name of the ConfigMap or Secret.")]
    public string Name { get; init; } = "";

    [Description("Skip the reference when the object does not exist.")]
    public bool Optional { get; init; }
}

/// <summary>The values of <c>substituteFrom[].kind</c>.</summary>
public static class SubstituteKinds
{
    public const string ConfigMap = "ConfigMap";
    public const string Secret = "Secret";
}

/// <summary>Per-object answers to immutable-field conflicts.</summary>
[Description("How objects with changed immutable fields are handled: the first matching rule, else the default.")]
public sealed record ConflictPolicy
{
    [Description("The action for objects no rule matches: Fail, Recreate or KeepExisting.")]
    [Enum(ConflictActions.Fail, ConflictActions.Recreate, ConflictActions.KeepExisting)]
    [Default("\"Fail\"")]
    public string? Default { get; init; }

    [Description("Rules tried in order; the first whose target matches decides.")]
    public IReadOnlyList<ConflictRule>? Rules { get; init; }
}

/// <summary>The values of conflict actions.</summary>
public static class ConflictActions
{
    public const string Fail = "Fail";
    public const string Recreate = "Recreate";
    public const string KeepExisting = "KeepExisting";
}

/// <summary>One conflict rule.</summary>
[Description("Maps matching objects to a conflict action.")]
public sealed record ConflictRule
{
    [Required]
    [Description("The objects this rule covers; empty fields match anything.")]
    public ConflictTarget Target { get; init; } = new();

    [Required]
    [Description("Fail, Recreate (delete and re-apply) or KeepExisting (create if absent, never patch).")]
    [Enum(ConflictActions.Fail, ConflictActions.Recreate, ConflictActions.KeepExisting)]
    public string Action { get; init; } = "";

    [Description("Required for Recreate of a PersistentVolumeClaim or PersistentVolume, which destroys its data.")]
    public bool AllowDataLoss { get; init; }
}

/// <summary>An object filter whose set fields must match exactly.</summary>
[Description("Exact-match object filter; empty fields match anything, apiVersion compares the full apiVersion.")]
public sealed record ConflictTarget
{
    [Description("Exact apiVersion of the object.")]
    public string? ApiVersion { get; init; }

    [Description("Kind of the object.")]
    public string? Kind { get; init; }

    [Description("Name of the object.")]
    public string? Name { get; init; }

    [Description("Namespace of the object.")]
    public string? Namespace { get; init; }
}

/// <summary>What gates a stage's completion.</summary>
[Description("What must be healthy before the stage completes. Observes only; use actions to change things.")]
public sealed record ReadyChecks
{
    [Description("Bounds this stage's verify phase, taking precedence over the stage and StageSet timeouts; not positive falls through.")]
    public Duration? Timeout { get; init; }

    [Description("Skip waiting for the applied objects; checks and exprs still run.")]
    public bool DisableWait { get; init; }

    [Description("Extra objects, applied by this stage or not, that must become healthy.")]
    public IReadOnlyList<NamespacedObjectKindReference>? Checks { get; init; }

    [Description("CEL health rules for kinds whose status the built-in rules cannot judge.")]
    public IReadOnlyList<CustomHealthCheck>? Exprs { get; init; }
}

/// <summary>CEL health rules for one kind.</summary>
[Description("CEL health rules for applied objects of one group and kind. The expressions see apiVersion, kind, metadata, spec and status.")]
public sealed record CustomHealthCheck
{
    [Required]
    [Description("API version of the kind; only its group is compared.")]
    public string ApiVersion { get; init; } = "";

    [Required]
    [Description("The kind the rules apply to.")]
    public string Kind { get; init; } = "";

    [Description("True when the object is ready; when unset the object never blocks.")]
    public string? Current { get; init; }

    [Description("True while the object is still converging; on a verify timeout this turns the failure into a hold.")]
    public string? InProgress { get; init; }

    [Description("True when the object has failed for good; fails the stage at once.")]
    public string? Failed { get; init; }
}

/// <summary>Actions around a stage.</summary>
[Description("Typed actions around the stage. Names must be unique across pre, post and onFailure.")]
public sealed record StageActions
{
    [Description("Run before the stage's artifact is fetched; a failure fails the stage with nothing applied.")]
    public IReadOnlyList<StageAction>? Pre { get; init; }

    [Description("Run after the stage verified healthy; the stage is Ready only when they all succeed.")]
    public IReadOnlyList<StageAction>? Post { get; init; }

    [Description("Run best-effort after a failure from apply onward, once per revision.")]
    public IReadOnlyList<StageAction>? OnFailure { get; init; }
}
