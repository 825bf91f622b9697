using System.Collections.Immutable;

namespace StageSet.LocalApiServer.Registry;

/// <summary>An API group with its served versions, preferred first.</summary>
internal sealed record ApiGroupInfo(string Name, IReadOnlyList<string> Versions);

/// <summary>
/// The served resources: built-ins plus the resources of Established CRDs. Readers take an immutable
/// <see cref="RegistrySnapshot"/>; CRD establishment and removal swap in a new one.
/// </summary>
internal sealed class ResourceRegistry
{
    private RegistrySnapshot _current;
    private readonly Lock _lock = new();

    public ResourceRegistry()
    {
        _current = new RegistrySnapshot(BuiltinResources.All, ImmutableDictionary<string, IReadOnlyList<ResourceType>>.Empty, 1);
    }

    public RegistrySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Serves (or re-serves) the resources of one CRD.</summary>
    public void SetCustom(string crdName, IReadOnlyList<ResourceType> resources)
    {
        lock (_lock)
        {
            var custom = resources.Count == 0 ? _current.Custom.Remove(crdName) : _current.Custom.SetItem(crdName, resources);
            Volatile.Write(ref _current, new RegistrySnapshot(BuiltinResources.All, custom, _current.Generation + 1));
        }
    }

    public void RemoveCustom(string crdName) => SetCustom(crdName, []);
}

/// <summary>One consistent view of what is served; <see cref="Generation"/> changes whenever it does.</summary>
internal sealed class RegistrySnapshot
{
    private readonly Dictionary<(string Group, string Version, string Resource), ResourceType> _byGvr = [];

    public RegistrySnapshot(
        IReadOnlyList<ResourceType> builtins, ImmutableDictionary<string, IReadOnlyList<ResourceType>> custom, long generation)
    {
        Custom = custom;
        Generation = generation;
        var resources = new List<ResourceType>(builtins);
        foreach (var (_, crdResources) in custom.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            resources.AddRange(crdResources);
        }

        Resources = resources;
        var groups = new List<(string Name, List<string> Versions)>();
        foreach (var r in resources)
        {
            _byGvr.TryAdd((r.Group, r.Version, r.Resource), r);
            var group = groups.FindIndex(g => g.Name == r.Group);
            if (group < 0)
            {
                groups.Add((r.Group, [r.Version]));
            }
            else if (!groups[group].Versions.Contains(r.Version))
            {
                groups[group].Versions.Add(r.Version);
            }
        }

        // Preferred version first, by Kubernetes version priority (v2 > v1 > v1beta1 …), as apiextensions orders CRD versions.
        Groups = groups.Select(g => new ApiGroupInfo(g.Name, g.Versions.OrderBy(v => v, KubeVersionComparer.Instance).ToList())).ToList();
    }

    public ImmutableDictionary<string, IReadOnlyList<ResourceType>> Custom { get; }

    public long Generation { get; }

    public IReadOnlyList<ResourceType> Resources { get; }

    /// <summary>Every group including the core group (empty name) first.</summary>
    public IReadOnlyList<ApiGroupInfo> Groups { get; }

    public ResourceType? Find(string group, string version, string resource) =>
        _byGvr.GetValueOrDefault((group, version, resource));

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        Resources.Where(r => r.Group == group && r.Version == version);

    /// <summary>Any served version of a kind's resource, preferring <paramref name="version"/>.</summary>
    public ResourceType? FindKind(string group, string kind, string? version = null) =>
        Resources.FirstOrDefault(r => r.Group == group && r.Kind == kind && (version is null || r.Version == version))
        ?? Resources.FirstOrDefault(r => r.Group == group && r.Kind == kind);

    public IEnumerable<ResourceType> ForStorage(string storageKey) => Resources.Where(r => r.StorageKey == storageKey);
}

/// <summary>Kubernetes version priority: GA before beta before alpha, higher numbers first, then other strings.</summary>
internal sealed class KubeVersionComparer : IComparer<string>
{
    public static readonly KubeVersionComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = Parse(x ?? "");
        var b = Parse(y ?? "");
        if (a.Rank != b.Rank)
        {
            return a.Rank.CompareTo(b.Rank);
        }

        if (a.Rank == 3)
        {
            return string.CompareOrdinal(x, y);
        }

        if (a.Major != b.Major)
        {
            return b.Major.CompareTo(a.Major);
        }

        return b.Minor.CompareTo(a.Minor);
    }

    private static (int Rank, int Major, int Minor) Parse(string v)
    {
        var m = System.Text.RegularExpressions.Regex.Match(v, "^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$");
        if (!m.Success)
        {
            return (3, 0, 0);
        }

        var major = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (!m.Groups[2].Success)
        {
            return (0, major, 0);
        }

        var minor = int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (m.Groups[2].Value == "beta" ? 1 : 2, major, minor);
    }
}
