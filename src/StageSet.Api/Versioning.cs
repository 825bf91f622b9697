using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>Where the release's version comes from.</summary>
[Description("The release's version: exactly one of value, fromObject and fromArtifact.")]
public sealed record VersionSource
{
    [Description("Reads the version from a file in a stage's artifact.")]
    public ArtifactVersionRef? FromArtifact { get; init; }

    [Description("Reads the version from a field of an object a stage renders; the app.kubernetes.io/version label by default.")]
    public ObjectVersionRef? FromObject { get; init; }

    [Description("The version, given inline (a semantic version; a leading v and a missing patch number are accepted).")]
    public string? Value { get; init; }

    [Description("Fail a transition that raises the major version when no migration covers it.")]
    public bool RequireMigrationCoverage { get; init; }

    [Description("Allow the desired version to go below the deployed one, running the crossed migrations' down actions.")]
    public bool AllowDowngrade { get; init; }
}

/// <summary>A version read from a rendered object.</summary>
[Description("Reads the version from one object a stage renders.")]
public sealed record ObjectVersionRef
{
    [Description("The stage whose rendered output is read; the first stage when empty.")]
    public string? Stage { get; init; }

    [Required]
    [Description("Kind of the object.")]
    public string Kind { get; init; } = "";

    [Required]
    [Description("Name of the object.")]
    public string Name { get; init; } = "";

    [Description("API version of the object; any when empty.")]
    public string? ApiVersion { get; init; }

    [Description("A kubectl JSONPath to the bare version; the app.kubernetes.io/version label when empty.")]
    public string? FieldPath { get; init; }
}

/// <summary>A version read from a file in an artifact.</summary>
[Description("Reads the version from a file in a stage's artifact.")]
public sealed record ArtifactVersionRef
{
    [Required]
    [Description("The stage whose artifact holds the file.")]
    public string Stage { get; init; } = "";

    [Required]
    [Description("The file's path inside the artifact, without a leading ./.")]
    public string Path { get; init; } = "";
}

/// <summary>A version-gated ladder of actions.</summary>
[Description("Actions run once when the deployed version crosses a boundary.")]
public sealed record Migration
{
    [Required]
    [Description("Migration name, unique among the migrations; keys the migration ledger.")]
    public string Name { get; init; } = "";

    [Required]
    [Description("The boundary version; the migration runs when current < to <= desired.")]
    public string To { get; init; } = "";

    [Description("A semantic version constraint the current version must also satisfy, such as >=1.2.0 or 1.x.")]
    public string? From { get; init; }

    [Description("The stage (by migrationAnchor, else by name) before whose pre-actions the migration runs; the first stage when empty.")]
    public string? Stage { get; init; }

    [Description("Run in order on an upgrade across the boundary.")]
    public IReadOnlyList<StageAction>? Actions { get; init; }

    [Description("Run in order on a downgrade across the boundary; without them the boundary cannot be crossed downwards.")]
    public IReadOnlyList<StageAction>? Down { get; init; }
}

/// <summary>A migration ladder read from an artifact.</summary>
[Description("Reads the migration ladder from YAML or JSON files in a Flux artifact in this namespace.")]
public sealed record MigrationsSource
{
    [Required]
    [Description("The artifact holding the ladder; must be in this namespace.")]
    public SourceReference SourceRef { get; init; } = new();

    [Description("The directory inside the artifact holding the ladder files; the root when empty.")]
    public string? Path { get; init; }
}
