namespace StageSet.Manifests;

/// <summary>A kind at one API version; the core group is the empty string.</summary>
public readonly record struct GroupVersionKind(string Group, string Version, string Kind)
{
    /// <summary><c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public GroupKind GroupKind => new(Group, Kind);

    public GroupVersion GroupVersion => new(Group, Version);

    public static GroupVersionKind From(string apiVersion, string kind)
    {
        var gv = GroupVersion.Parse(apiVersion);
        return new GroupVersionKind(gv.Group, gv.Version, kind);
    }

    /// <summary>Go's <c>GroupVersionKind.String()</c>: <c>apps/v1, Kind=Deployment</c>.</summary>
    public override string ToString() => ApiVersion + ", Kind=" + Kind;
}

/// <summary>A group and version; parses <c>apps/v1</c> and the bare core <c>v1</c>.</summary>
public readonly record struct GroupVersion(string Group, string Version)
{
    public static GroupVersion Parse(string? apiVersion)
    {
        if (string.IsNullOrEmpty(apiVersion))
        {
            return new GroupVersion("", "");
        }

        var slash = apiVersion.IndexOf('/');
        return slash < 0
            ? new GroupVersion("", apiVersion)
            : new GroupVersion(apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    public override string ToString() => Group.Length == 0 ? Version : Group + "/" + Version;
}

/// <summary>A kind without version; kstatus and inventories key on this.</summary>
public readonly record struct GroupKind(string Group, string Kind)
{
    /// <summary><c>Kind</c> for the core group, else <c>Kind.group</c> (as in API error messages).</summary>
    public override string ToString() => Group.Length == 0 ? Kind : Kind + "." + Group;
}

/// <summary>A REST resource: <c>deployments</c> in <c>apps/v1</c>.</summary>
public readonly record struct GroupVersionResource(string Group, string Version, string Resource)
{
    /// <summary><c>resource</c> for the core group, else <c>resource.group</c> (as in API error messages).</summary>
    public string GroupResource => Group.Length == 0 ? Resource : Resource + "." + Group;

    public override string ToString() => (Group.Length == 0 ? Version : Group + "/" + Version) + ", Resource=" + Resource;
}

/// <summary>Who an object is, independent of the API version it was read or written with.</summary>
public readonly record struct ObjectIdentity(string Group, string Kind, string Namespace, string Name)
{
    public GroupKind GroupKind => new(Group, Kind);

    public override string ToString() =>
        (Namespace.Length == 0 ? "" : Namespace + "/") + new GroupKind(Group, Kind) + "/" + Name;
}
