using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace StageSet.Artifacts.Tests;

/// <summary>Builds .tar.gz artifacts in memory, including the malformed ones the guard must refuse.</summary>
internal sealed class Tarball
{
    private readonly List<TarEntry> _entries = [];

    public Tarball File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public Tarball File(string name, byte[] content)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        return this;
    }

    public Tarball Directory(string name)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.Directory, name));
        return this;
    }

    public Tarball Symlink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    public Tarball Hardlink(string name, string target)
    {
        _entries.Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public Tarball Entry(TarEntryType type, string name)
    {
        _entries.Add(new PaxTarEntry(type, name));
        return this;
    }

    public byte[] Tar()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in _entries)
            {
                e.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(e);
            }
        }

        return tar.ToArray();
    }

    public byte[] Build() => Gzip(Tar());

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return output.ToArray();
    }

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
