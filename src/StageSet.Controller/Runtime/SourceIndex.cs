using StageSet.Manifests;

namespace StageSet.Controller.Runtime;

/// <summary>A stage's source as the watch index sees it: the referenced kind (with version, to watch it) and name.</summary>
public readonly record struct WatchedSource(GroupVersionKind Kind, string Namespace, string Name);

/// <summary>
/// Which StageSets reference which source objects, so a changed ExternalArtifact, Flux source or producer wakes
/// exactly the StageSets that use it. Only same-namespace references are indexed (cross-namespace ones are picked
/// up on their interval, as the spec says). Thread-safe.
/// </summary>
public sealed class SourceIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, WatchedSource[]> _byStageSet = [];
    private readonly Dictionary<(GroupKind Kind, string Namespace, string Name), HashSet<ObjectKey>> _bySource = [];

    /// <summary>Replaces what <paramref name="stageSet"/> references; returns kinds referenced for the first time.</summary>
    public IReadOnlyList<GroupVersionKind> Set(ObjectKey stageSet, IEnumerable<WatchedSource> sources)
    {
        var kept = sources.Where(s => s.Namespace == stageSet.Namespace).Distinct().ToArray();
        lock (_lock)
        {
            var before = KindsLocked();
            RemoveLocked(stageSet);
            _byStageSet[stageSet] = kept;
            foreach (var s in kept)
            {
                var key = (s.Kind.GroupKind, s.Namespace, s.Name);
                if (!_bySource.TryGetValue(key, out var set))
                {
                    _bySource[key] = set = [];
                }

                set.Add(stageSet);
            }

            return [.. kept.Select(s => s.Kind).Distinct().Where(k => !before.Contains(k))];
        }
    }

    public void Remove(ObjectKey stageSet)
    {
        lock (_lock)
        {
            RemoveLocked(stageSet);
        }
    }

    /// <summary>StageSets referencing the object <paramref name="name"/> of <paramref name="kind"/> in its namespace.</summary>
    public IReadOnlyList<ObjectKey> Referencing(GroupKind kind, string ns, string name)
    {
        lock (_lock)
        {
            return _bySource.TryGetValue((kind, ns, name), out var set) ? [.. set] : [];
        }
    }

    /// <summary>Every kind some StageSet references.</summary>
    public IReadOnlySet<GroupVersionKind> Kinds()
    {
        lock (_lock)
        {
            return KindsLocked();
        }
    }

    private HashSet<GroupVersionKind> KindsLocked() => [.. _byStageSet.Values.SelectMany(v => v).Select(s => s.Kind)];

    private void RemoveLocked(ObjectKey stageSet)
    {
        if (!_byStageSet.Remove(stageSet, out var old))
        {
            return;
        }

        foreach (var s in old)
        {
            var key = (s.Kind.GroupKind, s.Namespace, s.Name);
            if (_bySource.TryGetValue(key, out var set) && set.Remove(stageSet) && set.Count == 0)
            {
                _bySource.Remove(key);
            }
        }
    }
}
