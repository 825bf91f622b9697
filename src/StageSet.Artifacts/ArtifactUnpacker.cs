using System.Formats.Tar;
using System.IO.Compression;

namespace StageSet.Artifacts;

/// <summary>
/// Unpacks a gzip-wrapped tar into a directory with the caps and entry rules of flux-source-contract.md §2.4.
/// Streams entry by entry, so memory use does not grow with the artifact.
/// </summary>
public static class ArtifactUnpacker
{
    private const UnixFileMode DirMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                         | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Extracts regular files into <paramref name="target"/> (created if missing). With a <paramref name="prefix"/>,
    /// only entries under <c>prefix/</c> are kept, with the prefix stripped.
    /// </summary>
    public static ArtifactTree Unpack(Stream gzip, string target, ArtifactLimits? limits = null, string? prefix = null)
    {
        limits ??= ArtifactLimits.Default;
        var root = Path.GetFullPath(target);
        CreateDirectory(root);
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long extracted = 0;
        var keepPrefix = string.IsNullOrEmpty(prefix) || prefix == "." ? null : ArtifactPath.Clean(prefix) + "/";
        try
        {
            using var inflated = new CappedReadStream(new GZipStream(gzip, CompressionMode.Decompress, leaveOpen: true),
                limits.MaxInflatedBytes, "decompressed artifact");
            using var reader = new TarReader(inflated, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    or TarEntryType.ContiguousFile))
                {
                    continue;
                }

                if (ArtifactPath.Normalize(entry.Name) is not { } rel)
                {
                    continue;
                }

                if (keepPrefix is not null)
                {
                    if (!rel.StartsWith(keepPrefix, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    rel = rel[keepPrefix.Length..];
                }

                if (!seen.Add(rel))
                {
                    throw ArtifactException.Terminal($"artifact contains duplicate entry \"{rel}\"");
                }

                if (entry.Length > limits.MaxEntryBytes)
                {
                    throw ArtifactException.Terminal(
                        $"artifact entry \"{rel}\" is {entry.Length} bytes, over the per-file limit of {limits.MaxEntryBytes} bytes");
                }

                extracted += Extract(entry, root, rel, limits, extracted);
                files.Add(rel);
            }
        }
        catch (ArtifactException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException
                                      or ArgumentException)
        {
            throw ArtifactException.Terminal($"artifact is not a valid tar.gz archive: {e.Message}", e);
        }

        files.Sort(StringComparer.Ordinal);
        return new ArtifactTree(root, files);
    }

    private static long Extract(TarEntry entry, string root, string rel, ArtifactLimits limits, long extractedSoFar)
    {
        var path = Path.Combine(root, rel.Replace('/', Path.DirectorySeparatorChar));
        var dir = Path.GetDirectoryName(path)!;
        try
        {
            CreateDirectory(dir);
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode;
            }

            using var output = new FileStream(path, options);
            if (entry.DataStream is null)
            {
                return 0;
            }

            var buffer = new byte[81920];
            long written = 0;
            int read;
            while ((read = entry.DataStream.Read(buffer)) > 0)
            {
                written += read;
                if (written > limits.MaxEntryBytes)
                {
                    throw ArtifactException.Terminal(
                        $"artifact entry \"{rel}\" exceeds the per-file limit of {limits.MaxEntryBytes} bytes");
                }

                if (extractedSoFar + written > limits.MaxExtractedBytes)
                {
                    throw ArtifactException.Terminal(
                        $"artifact exceeds the extracted size limit of {limits.MaxExtractedBytes} bytes");
                }

                output.Write(buffer, 0, read);
            }

            return written;
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            // A file and a directory of the same name ("a" and "a/b"): the archive cannot be laid out.
            throw ArtifactException.Terminal($"artifact entry \"{rel}\" conflicts with another entry: {e.Message}", e);
        }
    }

    private static void CreateDirectory(string dir)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, DirMode);
        }
    }
}
