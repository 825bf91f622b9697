namespace StageSet.Engine.Inventory;

/// <summary>Label keys on StageInventory shards (stageset-api.md §15, §16.3).</summary>
public static class InventoryLabels
{
    public const string StageSet = "stages.metio.wtf/stage-set";
    public const string Stage = "stages.metio.wtf/stage";
    public const string Shard = "stages.metio.wtf/shard";

    public const string Group = "stages.metio.wtf";
    public const string ApiVersion = "stages.metio.wtf/v1";
    public const string Kind = "StageInventory";
    public const string StageSetKind = "StageSet";

    /// <summary>Label selector for every shard of a StageSet.</summary>
    public static string SelectorFor(string stageSet) => StageSet + "=" + stageSet;

    /// <summary>Label selector for the shards of one stage.</summary>
    public static string SelectorFor(string stageSet, string stage) => StageSet + "=" + stageSet + "," + Stage + "=" + stage;
}
