namespace StageSet.Artifacts;

/// <summary>
/// Files of one artifact (or local source directory) on disk: <see cref="Root"/> plus the accepted relative paths,
/// cleaned, slash-separated and sorted ordinally. Only these files belong to the artifact; anything else found under
/// the root is not part of it.
/// </summary>
public sealed record ArtifactTree(string Root, IReadOnlyList<string> Files)
{
    public string FullPath(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public byte[] ReadAllBytes(string relativePath) => File.ReadAllBytes(FullPath(relativePath));

    /// <summary>
    /// The files under directory <paramref name="prefix"/>, re-rooted there (the prefix filter used for
    /// <c>migrationsSourceRef.path</c>); a file equal to the prefix itself is dropped, so only directories work.
    /// </summary>
    public ArtifactTree Under(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || ArtifactPath.Clean(prefix.Trim('/')) is "." or "")
        {
            return this;
        }

        var keep = ArtifactPath.Clean(prefix.Trim('/')) + "/";
        var files = Files.Where(f => f.StartsWith(keep, StringComparison.Ordinal)).Select(f => f[keep.Length..]).ToList();
        return new ArtifactTree(FullPath(keep.TrimEnd('/')), files);
    }

    /// <summary>Reads a local directory with the same entry rules as an artifact (hidden names, links, odd names skipped).</summary>
    public static ArtifactTree FromDirectory(string root)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"source directory \"{root}\" does not exist");
        }

        var files = new List<string>();
        Walk(new DirectoryInfo(full), "", files);
        files.Sort(StringComparer.Ordinal);
        return new ArtifactTree(full, files);
    }

    private static void Walk(DirectoryInfo dir, string prefix, List<string> files)
    {
        foreach (var info in dir.EnumerateFileSystemInfos())
        {
            // Links could point outside the tree; an artifact tarball cannot carry them either.
            if (info.LinkTarget is not null)
            {
                continue;
            }

            var rel = prefix + info.Name;
            if (ArtifactPath.Normalize(rel) is null)
            {
                continue;
            }

            if (info is DirectoryInfo sub)
            {
                Walk(sub, rel + "/", files);
            }
            else if (info is FileInfo { Attributes: var attrs } && (attrs & FileAttributes.Device) == 0)
            {
                files.Add(rel);
            }
        }
    }
}
