using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace StageSet.LocalApiServer.ArtifactStorage;

/// <summary>A gzipped tarball built in memory from path→content pairs, with its Flux-style digest.</summary>
public sealed record Tarball(byte[] Bytes)
{
    public string Digest => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Bytes));

    public static Tarball From(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    ModificationTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                };
                tar.WriteEntry(entry);
            }
        }

        return new Tarball(buffer.ToArray());
    }
}
