using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>Per-kind admission the server runs on every write: pruning, defaulting, validation.</summary>
internal interface IWriteAdmission
{
    /// <summary>Drops unknown fields; returns their paths (for fieldValidation Strict/Warn).</summary>
    IReadOnlyList<string> Prune(ResourceType rt, JsonObject obj);

    /// <summary>Carries server-allocated values (Service IPs, node ports) over to an update that omits them.</summary>
    void PreserveAllocated(ResourceType rt, JsonObject oldObj, JsonObject newObj);

    void Default(ResourceType rt, JsonObject obj);

    IReadOnlyList<FieldError> ValidateCreate(ResourceType rt, JsonObject obj);

    IReadOnlyList<FieldError> ValidateUpdate(ResourceType rt, JsonObject oldObj, JsonObject newObj);
}

/// <summary>managedFields bookkeeping and server-side apply.</summary>
internal interface IFieldTracker
{
    JsonObject Apply(ResourceType rt, JsonObject? live, JsonObject config, ApplyOptions options);

    JsonObject RecordUpdate(ResourceType rt, JsonObject? live, JsonObject updated, UpdateOptions options);
}

internal sealed record ApplyOptions(string Manager, bool Force, string Subresource, DateTimeOffset Now);

internal sealed record UpdateOptions(string Manager, string ApiVersion, string Subresource, DateTimeOffset Now);
