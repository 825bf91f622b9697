using System.Formats.Tar;
using System.Text;

namespace StageSet.Artifacts.Tests;

/// <summary>The malicious-artifact corpus of §2.4: every hostile entry is skipped or refused, nothing escapes.</summary>
public sealed class UnpackTests : IDisposable
{
    private readonly Sandbox _box = new();

    private ArtifactTree Unpack(byte[] tgz, ArtifactLimits? limits = null, string? prefix = null) =>
        ArtifactUnpacker.Unpack(new MemoryStream(tgz), _box.Combine("out"), limits, prefix);

    private ArtifactException Refused(byte[] tgz, ArtifactLimits? limits = null)
    {
        var e = Assert.Throws<ArtifactException>(() => Unpack(tgz, limits));
        Assert.True(e.IsTerminal);
        return e;
    }

    /// <summary>Only the output directory may exist in the sandbox: nothing was written beside it.</summary>
    private void AssertNothingOutside()
    {
        Assert.All(_box.Everything(), p => Assert.True(p == "out" || p.StartsWith("out/", StringComparison.Ordinal), p));
    }

    [Fact]
    public void Regular_files_are_extracted_with_cleaned_names()
    {
        var tree = Unpack(new Tarball().Directory("apps/").File("apps/a.yaml", "a: 1").File("./b.yml", "b")
            .File("apps//sub/./c.json", "{}").Build());
        Assert.Equal(["apps/a.yaml", "apps/sub/c.json", "b.yml"], tree.Files);
        Assert.Equal("a: 1", File.ReadAllText(tree.FullPath("apps/a.yaml")));
        AssertNothingOutside();
    }

    [Theory]
    [InlineData("../evil.yaml")]
    [InlineData("a/../../evil.yaml")]
    [InlineData("/etc/evil.yaml")]
    [InlineData(".sops.yaml")]
    [InlineData(".git/config")]
    [InlineData("dir/.env")]
    [InlineData("a b.yaml")]
    [InlineData("x+y.yaml")]
    [InlineData("caf\u00e9.yaml")]
    [InlineData("a\\b.yaml")]
    [InlineData("me@host.yaml")]
    public void Hostile_or_hidden_names_are_skipped(string name)
    {
        var tree = Unpack(new Tarball().File(name, "kind: Evil").File("ok.yaml", "ok").Build());
        Assert.Equal(["ok.yaml"], tree.Files);
        Assert.False(File.Exists(_box.Combine("evil.yaml")));
        AssertNothingOutside();
    }

    [Fact]
    public void Symlinks_and_hardlinks_are_skipped_even_when_they_point_outside()
    {
        var tree = Unpack(new Tarball()
            .Symlink("escape", "/etc")
            .Symlink("up", "../../")
            .File("ok.yaml", "ok")
            .Hardlink("hard.yaml", "/etc/passwd")
            .Hardlink("hard2.yaml", "ok.yaml")
            .Symlink("dir", "../outside")
            .File("dir2/x.yaml", "x")
            .Build());
        Assert.Equal(["dir2/x.yaml", "ok.yaml"], tree.Files);
        Assert.All(_box.Everything(), p => Assert.Null(new FileInfo(_box.Combine(p)).LinkTarget));
        AssertNothingOutside();
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    [InlineData(TarEntryType.Fifo)]
    public void Device_files_are_skipped(TarEntryType type)
    {
        var tree = Unpack(new Tarball().Entry(type, "dev.yaml").File("ok.yaml", "ok").Build());
        Assert.Equal(["ok.yaml"], tree.Files);
        AssertNothingOutside();
    }

    [Fact]
    public void Two_entries_cleaning_to_one_path_are_terminal()
    {
        var e = Refused(new Tarball().File("a/b.yaml", "1").File("a//./b.yaml", "2").Build());
        Assert.Contains("duplicate entry \"a/b.yaml\"", e.Message);
        AssertNothingOutside();
    }

    [Fact]
    public void A_gzip_bomb_stops_at_the_inflated_cap()
    {
        var limits = ArtifactLimits.Default with { MaxInflatedBytes = 64 * 1024, MaxEntryBytes = 1 << 30, MaxExtractedBytes = 1 << 30 };
        var e = Refused(new Tarball().File("bomb.yaml", new byte[1024 * 1024]).Build(), limits);
        Assert.Contains("decompressed artifact exceeds the limit of 65536 bytes", e.Message);
        AssertNothingOutside();
    }

    [Fact]
    public void A_stream_exactly_at_the_cap_is_allowed_and_one_more_byte_is_not()
    {
        using (var atCap = new CappedReadStream(new MemoryStream(new byte[1000]), 1000, "decompressed artifact"))
        {
            atCap.CopyTo(Stream.Null);
        }

        using var over = new CappedReadStream(new MemoryStream(new byte[1001]), 1000, "decompressed artifact");
        var e = Assert.Throws<ArtifactException>(() => over.CopyTo(Stream.Null));
        Assert.True(e.IsTerminal);
    }

    [Fact]
    public void An_oversize_entry_is_refused_by_its_header()
    {
        var e = Refused(new Tarball().File("big.yaml", new byte[2048]).Build(),
            ArtifactLimits.Default with { MaxEntryBytes = 1024 });
        Assert.Contains("artifact entry \"big.yaml\" is 2048 bytes, over the per-file limit of 1024 bytes", e.Message);
        Assert.False(File.Exists(_box.Combine("out/big.yaml")));
        AssertNothingOutside();
    }

    [Fact]
    public void The_extracted_total_is_capped()
    {
        var e = Refused(new Tarball().File("a.yaml", new byte[600]).File("b.yaml", new byte[600]).Build(),
            ArtifactLimits.Default with { MaxExtractedBytes = 1000 });
        Assert.Contains("extracted size limit of 1000 bytes", e.Message);
        AssertNothingOutside();
    }

    [Fact]
    public void A_truncated_tarball_is_terminal()
    {
        var tgz = new Tarball().File("a.yaml", new byte[50_000]).File("b.yaml", Encoding.UTF8.GetBytes("b")).Build();
        var e = Refused(tgz[..(tgz.Length / 2)]);
        Assert.Contains("artifact is not a valid tar.gz archive", e.Message);
        AssertNothingOutside();
    }

    [Fact]
    public void Bytes_that_are_not_gzip_are_terminal()
    {
        var e = Refused(Encoding.UTF8.GetBytes("<html>not an artifact</html>"));
        Assert.Contains("not a valid tar.gz", e.Message);
    }

    [Fact]
    public void Concatenated_gzip_members_are_read_as_one_stream()
    {
        var tar = new Tarball().File("a.yaml", "a").File("b.yaml", "b").Tar();
        var split = 512 + 512; // header + padded data of the first entry
        var tgz = Tarball.Gzip(tar[..split]).Concat(Tarball.Gzip(tar[split..])).ToArray();
        Assert.Equal(["a.yaml", "b.yaml"], Unpack(tgz).Files);
    }

    [Fact]
    public void A_prefix_keeps_only_entries_below_it_and_strips_it()
    {
        var tree = Unpack(new Tarball().File("ladder", "file named like the prefix").File("ladder/m1.yaml", "m1")
            .File("ladder/sub/m2.yaml", "m2").File("other/x.yaml", "x").Build(), prefix: "ladder");
        Assert.Equal(["m1.yaml", "sub/m2.yaml"], tree.Files);
    }

    [Fact]
    public void Default_limits_are_the_contract_values()
    {
        var d = ArtifactLimits.Default;
        Assert.Equal(64L << 20, d.MaxCompressedBytes);
        Assert.Equal(512L << 20, d.MaxInflatedBytes);
        Assert.Equal(16L << 20, d.MaxEntryBytes);
        Assert.Equal(64L << 20, d.MaxExtractedBytes);
    }

    [Fact]
    public void A_local_directory_is_read_with_the_same_rules()
    {
        var dir = _box.Combine("src");
        Directory.CreateDirectory(Path.Combine(dir, ".git"));
        File.WriteAllText(Path.Combine(dir, ".git", "config"), "x");
        File.WriteAllText(Path.Combine(dir, "a.yaml"), "a");
        File.WriteAllText(Path.Combine(dir, "bad name.yaml"), "a");
        File.CreateSymbolicLink(Path.Combine(dir, "link.yaml"), "/etc/hostname");
        Assert.Equal(["a.yaml"], ArtifactTree.FromDirectory(dir).Files);
    }

    public void Dispose() => _box.Dispose();
}
