using System.Text.Json.Nodes;
using StageSet.Engine.Inventory;
using StageSet.Manifests;

namespace StageSet.Engine.Apply;

/// <summary>
/// What the controller stamps on every object a stage applies (stageset-api.md §16.2): the owner labels prune
/// checks before deleting, the stage label a lost inventory is rebuilt from, and the ApplySet membership label.
/// </summary>
public sealed record OwnerStamp(string StageSetName, string StageSetNamespace, string? Stage, string? ApplySetId)
{
    /// <summary>
    /// The stamp for one stage under an inventory mode. <paramref name="withStageLabel"/> adds the newer
    /// <c>stages.metio.wtf/stage</c> label; the ApplySet id is the stage's, in the labelling modes only.
    /// </summary>
    public static OwnerStamp For(string stageSetName, string stageSetNamespace, string stage, InventoryMode mode, bool withStageLabel = true) =>
        new(stageSetName, stageSetNamespace, withStageLabel ? stage : null,
            ApplySet.LabelsMembers(mode) ? ApplySet.IdForStage(stageSetName, stage, stageSetNamespace) : null);
}

public static class OwnerLabels
{
    public const string Name = "stages.metio.wtf/name";
    public const string Namespace = "stages.metio.wtf/namespace";
    public const string Stage = "stages.metio.wtf/stage";

    /// <summary>Sets the labels in place; other labels are left as they are.</summary>
    public static void Stamp(JsonObject obj, OwnerStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(stamp);
        KubeObject.SetLabel(obj, Name, stamp.StageSetName);
        KubeObject.SetLabel(obj, Namespace, stamp.StageSetNamespace);
        if (stamp.Stage is { } stage)
        {
            KubeObject.SetLabel(obj, Stage, stage);
        }

        if (stamp.ApplySetId is { } id)
        {
            KubeObject.SetLabel(obj, ApplySet.PartOfLabel, id);
        }
    }

    /// <summary>Label selector for the objects one stage applied, used to rebuild a lost inventory.</summary>
    public static string StageSelector(string stageSetName, string stageSetNamespace, string stage) =>
        Name + "=" + stageSetName + "," + Namespace + "=" + stageSetNamespace + "," + Stage + "=" + stage;

    /// <summary>Whether a live object still carries both owner labels with this StageSet's values.</summary>
    public static bool OwnedBy(JsonObject live, string stageSetName, string stageSetNamespace) =>
        KubeObject.Label(live, Name) == stageSetName && KubeObject.Label(live, Namespace) == stageSetNamespace;
}
