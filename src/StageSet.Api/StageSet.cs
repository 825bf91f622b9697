using System.Text.Json.Serialization;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>An ordered, gated, multi-stage release (<c>stages.metio.wtf/v1</c> <c>StageSet</c>).</summary>
[Description("StageSet rolls out an ordered list of stages, each built from a Flux artifact, applied, and verified healthy before the next one starts.")]
public sealed record StageSet
{
    [JsonPropertyOrder(-3)]
    public string ApiVersion { get; init; } = StageSetGroup.ApiVersion;

    [JsonPropertyOrder(-2)]
    public string Kind { get; init; } = StageSetGroup.StageSetKind;

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; init; } = new();

    public StageSetSpec Spec { get; init; } = new();

    public StageSetStatus? Status { get; init; }
}

/// <summary>A list of StageSets as the API returns it.</summary>
public sealed record StageSetList
{
    public string ApiVersion { get; init; } = StageSetGroup.ApiVersion;

    public string Kind { get; init; } = StageSetGroup.StageSetListKind;

    public ListMeta Metadata { get; init; } = new();

    public IReadOnlyList<StageSet> Items { get; init; } = [];
}

/// <summary>The desired release: stages in order plus the policies around them.</summary>
[Description("The desired release: the ordered stages and the scheduling, gating, versioning and tenancy around them.")]
public sealed record StageSetSpec
{
    [Description("How often the StageSet is reconciled when nothing changes; the controller's --default-interval when unset or not positive.")]
    public Duration? Interval { get; init; }

    [Description("How soon to look again after a transient hold (source not ready, artifact missing, dependency not ready, stage still progressing); the interval when unset.")]
    public Duration? RetryInterval { get; init; }

    [Description("A shorter cadence for re-applying the pinned state to undo out-of-band changes; used only when positive and shorter than the interval.")]
    public Duration? DriftDetectionInterval { get; init; }

    [Description("The default bound on each stage's verify phase; a stage or its readyChecks may override it. Not positive means the built-in default.")]
    public Duration? Timeout { get; init; }

    [Description("What a verify timeout means while objects are still progressing: Hold (report StageProgressing and look again later) or Rollback (treat it as a failure).")]
    [Enum(TimeoutActions.Hold, TimeoutActions.Rollback)]
    public string? OnTimeout { get; init; }

    [Description("Stops reconciliation entirely; nothing is applied or pruned while set.")]
    public bool Suspend { get; init; }

    [Description("Other StageSets that must be Ready, current and not held by a window (and at least minVersion when given) before this one proceeds.")]
    public IReadOnlyList<Dependency>? DependsOn { get; init; }

    [Description("The ServiceAccount, in this namespace, whose identity every operation on the target cluster uses; the controller's own identity when empty.")]
    public string? ServiceAccountName { get; init; }

    [Description("A remote cluster to deliver to instead of the local one.")]
    public KubeConfigReference? KubeConfig { get; init; }

    [Description("Decrypts SOPS-encrypted files in every stage's artifact before building.")]
    public Decryption? Decryption { get; init; }

    [Description("Where the release's version comes from; versioning and migrations are off when unset. Exactly one of value, fromObject and fromArtifact.")]
    public VersionSource? Version { get; init; }

    [Description("Version-gated action ladders run when the deployed version crosses their boundary. Needs spec.version; excludes migrationsSourceRef.")]
    public IReadOnlyList<Migration>? Migrations { get; init; }

    [Description("Reads the migration ladder from a Flux artifact in this namespace instead of spec.migrations.")]
    public MigrationsSource? MigrationsSourceRef { get; init; }

    [Description("After a failed run, re-applies each stage's last fully successful artifact under the current spec.")]
    public bool RollbackOnFailure { get; init; }

    [Description("Best-effort actions run after a rollback restored the previous manifests, under the StageSet's ServiceAccount. Names must be unique.")]
    public IReadOnlyList<StageAction>? OnRollback { get; init; }

    [Description("Windows that allow or deny rolling out new revisions. Deny wins; when any Allow window exists, rollouts happen only inside one.")]
    public IReadOnlyList<UpdateWindow>? UpdateWindows { get; init; }

    [Description("What a closed update window holds: Updates (only new revisions; drift is still corrected) or All (every reconcile).")]
    [Enum(WindowScopes.Updates, WindowScopes.All)]
    public string? WindowScope { get; init; }

    [Required]
    [Description("The stages, run top to bottom; each must be healthy before the next starts.")]
    [MinItems(1)]
    public IReadOnlyList<Stage> Stages { get; init; } = [];
}

/// <summary>The values of <c>onTimeout</c>.</summary>
public static class TimeoutActions
{
    public const string Hold = "Hold";
    public const string Rollback = "Rollback";
}

/// <summary>The values of <c>spec.windowScope</c>.</summary>
public static class WindowScopes
{
    public const string Updates = "Updates";
    public const string All = "All";
}

/// <summary>Another StageSet this one waits for.</summary>
[Description("A StageSet that must be ready before this one proceeds.")]
public sealed record Dependency
{
    [Required]
    [Description("Name of the StageSet.")]
    public string Name { get; init; } = "";

    [Description("Namespace of the StageSet; this StageSet's namespace when empty.")]
    public string? Namespace { get; init; }

    [Description("A semantic version the dependency's status.version must reach as well.")]
    public string? MinVersion { get; init; }
}

/// <summary>SOPS decryption of artifact contents.</summary>
[Description("SOPS decryption of the artifacts' encrypted files, in memory, before building.")]
public sealed record Decryption
{
    [Required]
    [Description("The decryption provider; only sops.")]
    [Enum(DecryptionProviders.Sops)]
    public string Provider { get; init; } = "";

    [Description("A Secret in this namespace with the private keys: data keys ending in .agekey hold age identities, .asc armored PGP keys. Omit when only cloud KMS is used.")]
    public LocalObjectReference? SecretRef { get; init; }
}

/// <summary>The values of <c>spec.decryption.provider</c>.</summary>
public static class DecryptionProviders
{
    public const string Sops = "sops";
}

/// <summary>A recurring or one-off window gating rollouts of new revisions.</summary>
[Description("One allow or deny window: recurring (schedule and duration) or absolute (from and to), never both.")]
public sealed record UpdateWindow
{
    [Required]
    [Description("Allow or Deny; a Deny window wins over an Allow window.")]
    [Enum(UpdateWindowTypes.Allow, UpdateWindowTypes.Deny)]
    public string Type { get; init; } = "";

    [Description("When a recurring window opens: five-field cron (names like MON-FRI, descriptors like @daily or @every 1h, optional TZ= prefix).")]
    public string? Schedule { get; init; }

    [Description("How long a recurring window stays open; must be positive.")]
    public Duration? Duration { get; init; }

    [Description("The IANA time zone the schedule is read in; UTC when empty.")]
    public string? TimeZone { get; init; }

    [Description("Start of an absolute window (inclusive).")]
    public DateTimeOffset? From { get; init; }

    [Description("End of an absolute window (exclusive); must be after from.")]
    public DateTimeOffset? To { get; init; }
}

/// <summary>The values of <c>updateWindows[].type</c>.</summary>
public static class UpdateWindowTypes
{
    public const string Allow = "Allow";
    public const string Deny = "Deny";
}
