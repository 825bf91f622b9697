using System.Text.Json.Serialization;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>One shard of a stage's record of applied objects (<c>StageInventory</c>); written only by the controller.</summary>
[Description("StageInventory records which objects one stage of a StageSet applied; large stages span several shards. Written by the controller, never by users.")]
public sealed record StageInventory
{
    [JsonPropertyOrder(-3)]
    public string ApiVersion { get; init; } = StageSetGroup.ApiVersion;

    [JsonPropertyOrder(-2)]
    public string Kind { get; init; } = StageSetGroup.StageInventoryKind;

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; init; } = new();

    public StageInventorySpec Spec { get; init; } = new();
}

/// <summary>A list of StageInventories as the API returns it.</summary>
public sealed record StageInventoryList
{
    public string ApiVersion { get; init; } = StageSetGroup.ApiVersion;

    public string Kind { get; init; } = StageSetGroup.StageInventoryListKind;

    public ListMeta Metadata { get; init; } = new();

    public IReadOnlyList<StageInventory> Items { get; init; } = [];
}

/// <summary>The entries of one shard; kept in spec so backups restore prune history.</summary>
[Description("The objects this shard accounts for. Kept in spec so that restoring a backup also restores what may be pruned.")]
public sealed record StageInventorySpec
{
    [Description("The stage's index in spec.stages when written; removed stages are torn down in reverse order.")]
    public int StagePosition { get; init; }

    [Description("The objects recorded in this shard.")]
    public IReadOnlyList<InventoryEntry>? Entries { get; init; }
}

/// <summary>One recorded object.</summary>
[Description("One recorded object.")]
public sealed record InventoryEntry
{
    [Required]
    [Description("The object as namespace_name_group_kind; empty namespace when cluster-scoped, empty group for the core group.")]
    public string Id { get; init; } = "";

    [Required]
    [Description("The API version the object was applied with, such as v1 or apps/v1.")]
    public string V { get; init; } = "";
}
