using System.Text.Json;
using System.Text.Json.Serialization;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>What the controller observed and did.</summary>
[Description("What the controller last observed and did.")]
public sealed record StageSetStatus
{
    [Description("The reconcile.fluxcd.io/requestedAt value last handled.")]
    public string? LastHandledReconcileAt { get; init; }

    [Description("The Ready condition.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("The generation last acted on.")]
    public long ObservedGeneration { get; init; }

    [Description("Revisions of the resolved sources of the current or last run, by namespace/name.")]
    public IReadOnlyDictionary<string, string>? LastAttemptedRevisions { get; init; }

    [Description("Revisions of the last fully successful run, by namespace/name.")]
    public IReadOnlyDictionary<string, string>? LastAppliedRevisions { get; init; }

    [Description("Progress of each stage, in spec order.")]
    public IReadOnlyList<StageStatus>? Stages { get; init; }

    [Description("The inventory mode the controller ran with.")]
    public string? InventoryMode { get; init; }

    [Description("The version of the last fully successful versioned run.")]
    public string? Version { get; init; }

    [Description("The migrations the current transition will run.")]
    [JsonConverter(typeof(PendingMigrationListConverter))]
    public IReadOnlyList<PendingMigration>? PendingMigrations { get; init; }

    [Description("Migrations completed in the current transition, as name@digest.")]
    public IReadOnlyList<string>? ExecutedMigrations { get; init; }

    [Description("Migration actions completed in the current transition, as name@digest/action.")]
    public IReadOnlyList<string>? ExecutedMigrationActions { get; init; }

    [Description("Consecutive migration failures; at 5 the migration is marked dirty.")]
    public int MigrationFailureCount { get; init; }

    [Description("Each stage's artifact in the last fully successful run, kept for rollback.")]
    public IReadOnlyList<StageArtifactRef>? LastAppliedSnapshot { get; init; }

    [Description("Set while an update window holds the rollout.")]
    public PendingUpdate? PendingUpdate { get; init; }

    [Description("The stages.metio.wtf/update-now value last honoured.")]
    public string? LastHandledUpdateOverride { get; init; }

    [Description("The stages.metio.wtf/reset-scope value last honoured.")]
    public string? LastHandledResetScope { get; init; }

    /// <summary>The Ready condition, if any.</summary>
    public Condition? ReadyCondition() => Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);
}

/// <summary>Progress of one stage.</summary>
[Description("Progress of one stage.")]
public sealed record StageStatus
{
    [Required]
    [Description("The stage name.")]
    public string Name { get; init; } = "";

    [Description("Where the stage stands.")]
    [Enum(StagePhases.Pending, StagePhases.Applying, StagePhases.Pruning, StagePhases.Verifying, StagePhases.Ready, StagePhases.Failed)]
    public string? Phase { get; init; }

    [Description("The revision applied, or being attempted when the stage failed.")]
    public string? AppliedRevision { get; init; }

    [Description("How many objects the stage rendered in this run.")]
    public long EntriesCount { get; init; }

    [Description("How many StageInventory shards hold the stage's entries.")]
    public int Shards { get; init; }

    [Description("Why the stage failed or is held; empty on success.")]
    public string? Message { get; init; }

    [Description("Actions completed at ledgerRevision.")]
    public IReadOnlyList<string>? ExecutedActions { get; init; }

    [Description("The revision executedActions belongs to; a new revision starts a new ledger.")]
    public string? LedgerRevision { get; init; }

    [Description("Version-scoped actions completed at ledgerVersion.")]
    public IReadOnlyList<string>? ExecutedVersionActions { get; init; }

    [Description("The version executedVersionActions belongs to.")]
    public string? LedgerVersion { get; init; }

    [Description("The stages.metio.wtf/reconcile-stage token last handled for this stage.")]
    public string? LastHandledReconcileAt { get; init; }
}

/// <summary>The values of <c>status.stages[].phase</c>.</summary>
public static class StagePhases
{
    public const string Pending = "Pending";
    public const string Applying = "Applying";
    public const string Pruning = "Pruning";
    public const string Verifying = "Verifying";
    public const string Ready = "Ready";
    public const string Failed = "Failed";
}

/// <summary>A stage's artifact coordinates from a successful run.</summary>
[Description("Where a stage's artifact of a successful run can be fetched again.")]
public sealed record StageArtifactRef
{
    [Required]
    [Description("The stage name.")]
    public string Stage { get; init; } = "";

    [Required]
    [Description("The artifact URL.")]
    public string Url { get; init; } = "";

    [Required]
    [Description("The artifact digest as algorithm:hex; a re-fetch must match it.")]
    public string Digest { get; init; } = "";

    [Description("The human-readable revision.")]
    public string? Revision { get; init; }

    [Description("A sha256 over the resolved substitution variables; empty when there were none.")]
    public string? SubstitutionDigest { get; init; }
}

/// <summary>A rollout held by an update window.</summary>
[Description("A rollout held by an update window.")]
public sealed record PendingUpdate
{
    [Description("The held revisions by namespace/name.")]
    public IReadOnlyDictionary<string, string>? Revisions { get; init; }

    [Description("When the windows next allow delivery; absent if never.")]
    public DateTimeOffset? NextWindowOpens { get; init; }
}

/// <summary>A migration the current transition will run.</summary>
[Description("A migration the current transition will run.")]
public sealed record PendingMigration
{
    [Required]
    [Description("The migration name.")]
    public string Name { get; init; } = "";

    [Required]
    [Description("The boundary version.")]
    public string To { get; init; } = "";

    [Description("The migration's version constraint.")]
    public string? From { get; init; }

    [Description("The stage the migration runs before.")]
    public string? Stage { get; init; }

    [Description("The verbs of its actions in run order.")]
    public IReadOnlyList<string>? Actions { get; init; }

    [Description("The first 12 hex digits of the migration's content digest.")]
    public string? Digest { get; init; }
}

/// <summary>Reads pending migrations in both shapes: objects, and the plain names seed-era controllers wrote.</summary>
public sealed class PendingMigrationListConverter : JsonConverter<IReadOnlyList<PendingMigration>>
{
    public override IReadOnlyList<PendingMigration> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a list of pending migrations");
        }

        var items = new List<PendingMigration>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(reader.TokenType == JsonTokenType.String
                ? new PendingMigration { Name = reader.GetString()! }
                : JsonSerializer.Deserialize<PendingMigration>(ref reader, options)!);
        }

        return items;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<PendingMigration> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, options);
        }

        writer.WriteEndArray();
    }
}
