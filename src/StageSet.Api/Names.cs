namespace StageSet.Api;

/// <summary>The API group, version, kinds and resources of this API.</summary>
public static class StageSetGroup
{
    public const string Group = "stages.metio.wtf";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;
    public const string StageSetKind = "StageSet";
    public const string StageSetListKind = "StageSetList";
    public const string StageSetPlural = "stagesets";
    public const string StageSetSingular = "stageset";
    public const string StageInventoryKind = "StageInventory";
    public const string StageInventoryListKind = "StageInventoryList";
    public const string StageInventoryPlural = "stageinventories";
    public const string StageInventorySingular = "stageinventory";

    /// <summary>The validating webhook's name and path.</summary>
    public const string WebhookName = "vstageset.stages.metio.wtf";
    public const string WebhookPath = "/validate-stages-metio-wtf-v1-stageset";
}

/// <summary>Finalizers the controller puts on StageSets.</summary>
public static class Finalizers
{
    public const string StageSet = "stages.metio.wtf/finalizer";
}

/// <summary>Label keys the controller reads or writes.</summary>
public static class Labels
{
    /// <summary>On applied objects: the owning StageSet's name.</summary>
    public const string OwnerName = "stages.metio.wtf/name";

    /// <summary>On applied objects: the owning StageSet's namespace.</summary>
    public const string OwnerNamespace = "stages.metio.wtf/namespace";

    /// <summary>On applied objects and StageInventories: the stage name.</summary>
    public const string Stage = "stages.metio.wtf/stage";

    /// <summary>On StageInventories: the owning StageSet's name.</summary>
    public const string InventoryStageSet = "stages.metio.wtf/stage-set";

    /// <summary>On StageInventories: the shard index in decimal.</summary>
    public const string InventoryShard = "stages.metio.wtf/shard";

    /// <summary>On applied objects (seed ApplySet modes): the ApplySet id of the stage's shard-0 inventory.</summary>
    public const string ApplySetPartOf = "applyset.kubernetes.io/part-of";

    /// <summary>On StageInventory shard 0 (seed ApplySet modes): the ApplySet id.</summary>
    public const string ApplySetId = "applyset.kubernetes.io/id";

    /// <summary>On the StageInventory CRD: marks it as an ApplySet parent type (KEP-3659).</summary>
    public const string ApplySetIsParentType = "applyset.kubernetes.io/is-parent-type";
}

/// <summary>Annotation keys the controller reads or writes.</summary>
public static class Annotations
{
    /// <summary>On a StageSet: a new token requests a reconcile (Flux convention).</summary>
    public const string ReconcileRequestedAt = "reconcile.fluxcd.io/requestedAt";

    /// <summary>On a StageSet: <c>&lt;stage&gt;@&lt;token&gt;</c> re-runs that stage's actions once.</summary>
    public const string ReconcileStage = "stages.metio.wtf/reconcile-stage";

    /// <summary>On a StageSet: a new token bypasses update windows once.</summary>
    public const string UpdateNow = "stages.metio.wtf/update-now";

    /// <summary>On a StageSet: a new token clears every stage's version ledger once.</summary>
    public const string ResetScope = "stages.metio.wtf/reset-scope";

    /// <summary>On a live object: <c>disabled</c> (any case) protects it from prune and teardown.</summary>
    public const string Prune = "stages.metio.wtf/prune";

    /// <summary>On a desired object: opts into Recreate on immutable-field conflicts.</summary>
    public const string Force = "stages.metio.wtf/force";

    /// <summary>Written <c>"true"</c> on objects resolved to KeepExisting.</summary>
    public const string KeepExisting = "stages.metio.wtf/keep-existing";

    /// <summary>The value of <see cref="Prune"/> that protects an object.</summary>
    public const string PruneDisabled = "disabled";

    /// <summary>On StageInventory shard 0 (seed ApplySet modes).</summary>
    public const string ApplySetTooling = "applyset.kubernetes.io/tooling";

    public const string ApplySetContainsGroupKinds = "applyset.kubernetes.io/contains-group-kinds";

    public const string ApplySetAdditionalNamespaces = "applyset.kubernetes.io/additional-namespaces";
}

/// <summary>Server-side apply field managers.</summary>
public static class FieldManagers
{
    public const string Controller = "stageset-controller";
    public const string Cli = "stagesetctl";
}

/// <summary>Condition types on a StageSet (there is only one).</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
}

/// <summary>The reasons of the Ready condition (wire-stable strings).</summary>
public static class ReadyReasons
{
    public const string Succeeded = "Succeeded";
    public const string Suspended = "Suspended";
    public const string InvalidSpec = "InvalidSpec";
    public const string SourceNotReady = "SourceNotReady";
    public const string ArtifactNotFound = "ArtifactNotFound";
    public const string ResolveFailed = "ResolveFailed";
    public const string DependencyNotReady = "DependencyNotReady";
    public const string Stalled = "Stalled";
    public const string InvalidVersion = "InvalidVersion";
    public const string DowngradeRequiresMigration = "DowngradeRequiresMigration";
    public const string DowngradeNotAllowed = "DowngradeNotAllowed";
    public const string MigrationStageNotFound = "MigrationStageNotFound";
    public const string MigrationArtifactInvalid = "MigrationArtifactInvalid";
    public const string MigrationSourceNotVerified = "MigrationSourceNotVerified";
    public const string MigrationSourceNotPinned = "MigrationSourceNotPinned";
    public const string MigrationCoverageMissing = "MigrationCoverageMissing";
    public const string MigrationFailed = "MigrationFailed";
    public const string MigrationDirty = "MigrationDirty";
    public const string PreviousRevisionUnavailable = "PreviousRevisionUnavailable";
    public const string UpdateDeferred = "UpdateDeferred";
    public const string StageFailed = "StageFailed";
    public const string StageProgressing = "StageProgressing";
    public const string RbacDenied = "RBACDenied";
}

/// <summary>Reasons used only on events, never on the Ready condition.</summary>
public static class EventReasons
{
    public const string DriftCorrected = "DriftCorrected";
    public const string RolledBack = "RolledBack";
    public const string MigrationStarted = "MigrationStarted";
    public const string MigrationCompleted = "MigrationCompleted";
    public const string MigrationFailed = "MigrationFailed";
    public const string OnFailureAction = "OnFailureAction";
    public const string RollbackStoreFailed = "RollbackStoreFailed";
    public const string UpdateDeferred = "UpdateDeferred";
    public const string OnRollbackAction = "OnRollbackAction";
    public const string MigrationSourceMutable = "MigrationSourceMutable";
    public const string MigrationsBaselined = "MigrationsBaselined";
    public const string ActionSkipped = "ActionSkipped";
    public const string InventoryReconstructed = "InventoryReconstructed";
    public const string TeardownForced = "TeardownForced";
}
