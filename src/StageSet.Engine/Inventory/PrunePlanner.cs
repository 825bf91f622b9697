using StageSet.Engine.Apply;
using StageSet.Manifests;

namespace StageSet.Engine.Inventory;

/// <summary>One stage as this run rendered it: its position in <c>spec.stages</c>, its prune flag, what it applies.</summary>
public sealed record DesiredStage(string Name, int Position, bool Prune, IReadOnlyList<InventoryEntry> Entries);

/// <summary>
/// The deletions for one stage. <see cref="Removed"/> stages are gone from the spec (delete under the StageSet-level
/// service account, then drop their shards and metric series). <see cref="PruneDisabled"/> stages delete nothing.
/// Deletions are in delete order (Flux kind order reversed).
/// </summary>
public sealed record StagePrune(string Stage, int Position, bool Removed, bool PruneDisabled, IReadOnlyList<InventoryEntry> Deletions);

/// <summary>
/// The prune plan of a run. When objects are claimed by more than one stage the run is <c>InvalidSpec</c>
/// (<see cref="InvalidSpecMessage"/>) and nothing at all is pruned.
/// </summary>
public sealed record PrunePlan(IReadOnlyList<ObjectIdentity> DuplicateClaims, IReadOnlyList<StagePrune> Stages)
{
    public string? InvalidSpecMessage =>
        DuplicateClaims.Count == 0 ? null : $"{DuplicateClaims.Count} object(s) are claimed by more than one stage";
}

/// <summary>The pure half of prune and teardown (flux-source-contract.md §7.4, §7.5).</summary>
public static class PrunePlanner
{
    public static PrunePlan Plan(IReadOnlyList<RecordedStage> previous, IReadOnlyList<DesiredStage> desired)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(desired);

        var claims = new Dictionary<ObjectIdentity, HashSet<string>>();
        foreach (var stage in desired)
        {
            foreach (var entry in stage.Entries)
            {
                if (entry.Identity is { } id)
                {
                    (claims.TryGetValue(id, out var owners) ? owners : claims[id] = new HashSet<string>(StringComparer.Ordinal)).Add(stage.Name);
                }
            }
        }

        var duplicates = claims.Where(c => c.Value.Count > 1).Select(c => c.Key).OrderBy(id => id, KindOrder.Comparer).ToList();
        if (duplicates.Count > 0)
        {
            return new PrunePlan(duplicates, []);
        }

        var desiredByName = desired.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var kept = new List<StagePrune>();
        var removed = new List<StagePrune>();
        foreach (var stage in previous)
        {
            // An id still claimed by any desired stage stays: either the stage kept it or ownership moved.
            var unclaimed = stage.Entries.Where(e => e.Identity is { } id && !claims.ContainsKey(id));
            if (desiredByName.TryGetValue(stage.Stage, out var now))
            {
                kept.Add(new StagePrune(stage.Stage, now.Position, false, !now.Prune, now.Prune ? DeleteOrder(unclaimed) : []));
            }
            else
            {
                removed.Add(new StagePrune(stage.Stage, stage.Position, true, false, DeleteOrder(unclaimed)));
            }
        }

        return new PrunePlan([], [.. kept.OrderBy(s => s.Position), .. TeardownOrder(removed)]);
    }

    /// <summary>
    /// StageSet deletion: every recorded stage in position-descending order (name breaks ties), except stages
    /// whose spec says <c>prune: false</c> (their objects are orphaned). <paramref name="specPrune"/> maps the stage
    /// names still in the spec to their prune flag; stages missing from it are torn down as removed stages.
    /// </summary>
    public static IReadOnlyList<StagePrune> Teardown(IReadOnlyList<RecordedStage> recorded, IReadOnlyDictionary<string, bool> specPrune)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(specPrune);
        var stages = recorded
            .Select(s => specPrune.TryGetValue(s.Stage, out var prune)
                ? new StagePrune(s.Stage, s.Position, false, !prune, prune ? DeleteOrder(s.Entries) : [])
                : new StagePrune(s.Stage, s.Position, true, false, DeleteOrder(s.Entries)))
            .Where(s => !s.PruneDisabled);
        return TeardownOrder(stages);
    }

    private static List<StagePrune> TeardownOrder(IEnumerable<StagePrune> stages) =>
        stages.OrderByDescending(s => s.Position).ThenBy(s => s.Stage, StringComparer.Ordinal).ToList();

    private static List<InventoryEntry> DeleteOrder(IEnumerable<InventoryEntry> entries) =>
        entries.Where(e => e.Identity is not null)
            .OrderByDescending(e => e.Identity!.Value, KindOrder.Comparer)
            .ToList();
}

/// <summary>Why a prune or teardown delete does or does not go ahead, judged on the live object.</summary>
public enum DeleteVerdict
{
    Delete,

    /// <summary>The live object no longer carries both owner labels with this StageSet's values.</summary>
    NotOwned,

    /// <summary>Annotated <c>stages.metio.wtf/prune: disabled</c> (any case).</summary>
    PruneDisabled,
}

public static class PruneGuard
{
    public const string PruneAnnotation = "stages.metio.wtf/prune";

    public static DeleteVerdict Check(System.Text.Json.Nodes.JsonObject live, string stageSetName, string stageSetNamespace)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (!OwnerLabels.OwnedBy(live, stageSetName, stageSetNamespace))
        {
            return DeleteVerdict.NotOwned;
        }

        return string.Equals(KubeObject.Annotation(live, PruneAnnotation), "disabled", StringComparison.OrdinalIgnoreCase)
            ? DeleteVerdict.PruneDisabled
            : DeleteVerdict.Delete;
    }
}
