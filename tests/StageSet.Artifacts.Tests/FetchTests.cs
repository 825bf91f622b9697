using System.Net;
using Microsoft.AspNetCore.Http;

namespace StageSet.Artifacts.Tests;

/// <summary>Downloads against a real Kestrel server on loopback (the guard is off here, see <see cref="GuardFetchTests"/>).</summary>
public sealed class FetchTests : ServerTest
{
    private ArtifactCache Cache(ArtifactFetchOptions? fetch = null, long maxBytes = 1L << 30) => new(new ArtifactCacheOptions
    {
        Directory = Box.Combine("cache"),
        MaxBytes = maxBytes,
        Fetch = fetch ?? new ArtifactFetchOptions { NetworkGuard = false },
    });

    private static byte[] App(string marker = "a") =>
        new Tarball().File("deploy/cm.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {marker}\n").Build();

    private void AssertCacheHoldsOnly(params string[] digests)
    {
        var expected = digests.Select(d => d["sha256:".Length..]).Append(".staging").Order(StringComparer.Ordinal);
        Assert.Equal(expected, Directory.EnumerateDirectories(Box.Combine("cache")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Box.Combine("cache/.staging")));
        Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(Box.Root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_artifact_is_downloaded_verified_and_unpacked_once()
    {
        var tgz = App();
        Server.Serve("/a.tgz", tgz);
        using var cache = Cache();
        using (var lease = await cache.AcquireAsync(Server.Url("/a.tgz"), Tarball.Digest(tgz), default))
        {
            Assert.Equal(["deploy/cm.yaml"], lease.Tree.Files);
            Assert.Contains("name: a", File.ReadAllText(lease.Tree.FullPath("deploy/cm.yaml")));
        }

        using (var again = await cache.AcquireAsync(Server.Url("/a.tgz"), " SHA256:" + Tarball.Digest(tgz)[7..].ToUpperInvariant(), default))
        {
            Assert.Equal(["deploy/cm.yaml"], again.Tree.Files);
        }

        Assert.Equal(1, Server.Hits("/a.tgz"));
        AssertCacheHoldsOnly(Tarball.Digest(tgz));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_digest_share_one_download()
    {
        var tgz = App();
        var release = new TaskCompletionSource();
        Server.Handle("/shared.tgz", async ctx =>
        {
            await release.Task;
            await ctx.Response.Body.WriteAsync(tgz);
        });
        using var cache = Cache();
        var acquires = Enumerable.Range(0, 4)
            .Select(_ => cache.AcquireAsync(Server.Url("/shared.tgz"), Tarball.Digest(tgz), default)).ToList();
        release.SetResult();
        var leases = await Task.WhenAll(acquires);
        Assert.Equal(1, Server.Hits("/shared.tgz"));
        Assert.Single(leases.Select(l => l.Tree.Root).Distinct());
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }

    [Fact]
    public async Task Eviction_keeps_the_cache_within_its_bound_and_spares_leased_entries()
    {
        var a = new Tarball().File("a.yaml", new byte[600]).Build();
        var b = new Tarball().File("b.yaml", new byte[600]).Build();
        Server.Serve("/a.tgz", a);
        Server.Serve("/b.tgz", b);
        using var cache = Cache(maxBytes: 1000);
        var leaseA = await cache.AcquireAsync(Server.Url("/a.tgz"), Tarball.Digest(a), default);
        using (await cache.AcquireAsync(Server.Url("/b.tgz"), Tarball.Digest(b), default))
        {
            // Both are leased: over budget, but nothing in use may disappear.
            Assert.Equal(2, cache.CachedDigests().Count);
            Assert.True(File.Exists(leaseA.Tree.FullPath("a.yaml")));
            leaseA.Dispose();
        }

        Assert.Single(cache.CachedDigests());
        Assert.True(cache.TotalBytes <= 1000);
        Assert.Equal(Tarball.Digest(b)[7..], Assert.Single(cache.CachedDigests()));
    }

    [Fact]
    public async Task A_server_error_is_transient_and_leaves_nothing_behind()
    {
        Server.Status("/fail.tgz", 500);
        using var cache = Cache();
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/fail.tgz"), Tarball.Digest(App()), default));
        Assert.False(e.IsTerminal);
        Assert.Contains("HTTP 500", e.Message);
        AssertCacheHoldsOnly();
    }

    [Fact]
    public async Task A_missing_artifact_is_transient()
    {
        using var cache = Cache();
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/nope.tgz"), Tarball.Digest(App()), default));
        Assert.False(e.IsTerminal);
        Assert.Contains("HTTP 404", e.Message);
    }

    [Fact]
    public async Task Redirects_are_followed()
    {
        var tgz = App();
        Server.Serve("/final.tgz", tgz);
        Server.Redirect("/r1", "/r2", 301);
        Server.Redirect("/r2", Server.Url("/final.tgz"), 307);
        using var cache = Cache();
        using var lease = await cache.AcquireAsync(Server.Url("/r1"), Tarball.Digest(tgz), default);
        Assert.Equal(["deploy/cm.yaml"], lease.Tree.Files);
        Assert.Equal(1, Server.Hits("/r2"));
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_ten_hops()
    {
        Server.Redirect("/loop", "/loop");
        using var cache = Cache();
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/loop"), Tarball.Digest(App()), default));
        Assert.Contains("stopped after 10 redirects", e.Message);
        Assert.Equal(10, Server.Hits("/loop"));
    }

    [Fact]
    public async Task A_slow_but_steady_server_completes()
    {
        var tgz = App();
        Server.Handle("/slow.tgz", async ctx =>
        {
            foreach (var chunk in tgz.Chunk(16))
            {
                await ctx.Response.Body.WriteAsync(chunk);
                await ctx.Response.Body.FlushAsync();
                await Task.Delay(2);
            }
        });
        using var cache = Cache();
        using var lease = await cache.AcquireAsync(Server.Url("/slow.tgz"), Tarball.Digest(tgz), default);
        Assert.Equal(["deploy/cm.yaml"], lease.Tree.Files);
    }

    [Fact]
    public async Task A_stalled_server_hits_the_client_timeout()
    {
        Server.Handle("/stall.tgz", async ctx =>
        {
            await ctx.Response.Body.WriteAsync(new byte[] { 0x1f, 0x8b });
            await ctx.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
        });
        using var cache = Cache(new ArtifactFetchOptions { NetworkGuard = false, Timeout = TimeSpan.FromMilliseconds(200) });
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/stall.tgz"), Tarball.Digest(App()), default));
        Assert.False(e.IsTerminal);
        Assert.Contains("timed out", e.Message);
        AssertCacheHoldsOnly();
    }

    [Fact]
    public async Task A_digest_mismatch_is_terminal_and_nothing_is_unpacked()
    {
        Server.Serve("/a.tgz", App("real"));
        using var cache = Cache();
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/a.tgz"), Tarball.Digest(App("other")), default));
        Assert.True(e.IsTerminal);
        Assert.Contains("artifact digest mismatch", e.Message);
        AssertCacheHoldsOnly();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")]
    [InlineData("sha384:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b")]
    [InlineData("blake3:af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262")]
    [InlineData("sha256:abc")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public async Task Missing_or_non_sha256_digests_are_terminal_before_any_request(string digest)
    {
        Server.Serve("/a.tgz", App());
        using var cache = Cache();
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/a.tgz"), digest, default));
        Assert.True(e.IsTerminal);
        Assert.Matches("artifact digest is empty|digest is not a valid <algo>:<hex> string", e.Message);
        Assert.Equal(0, Server.Hits("/a.tgz"));
    }

    [Fact]
    public async Task A_download_over_the_compressed_cap_is_terminal()
    {
        var tgz = new Tarball().File("a.bin", System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096)).Build();
        Server.Serve("/big.tgz", tgz);
        using var cache = Cache(new ArtifactFetchOptions { NetworkGuard = false, Limits = ArtifactLimits.Default with { MaxCompressedBytes = 1024 } });
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/big.tgz"), Tarball.Digest(tgz), default));
        Assert.True(e.IsTerminal);
        Assert.Contains("download size limit of 1024 bytes", e.Message);
        AssertCacheHoldsOnly();
    }

    [Fact]
    public async Task A_truncated_download_with_a_matching_digest_is_a_terminal_archive_error()
    {
        var tgz = new Tarball().File("a.yaml", new byte[40_000]).Build();
        var truncated = tgz[..(tgz.Length / 2)];
        Server.Serve("/t.tgz", truncated);
        using var cache = Cache();
        var e = await Assert.ThrowsAsync<ArtifactException>(() => cache.AcquireAsync(Server.Url("/t.tgz"), Tarball.Digest(truncated), default));
        Assert.True(e.IsTerminal);
        Assert.Contains("not a valid tar.gz", e.Message);
        AssertCacheHoldsOnly();
    }

    [Fact]
    public async Task A_hostile_artifact_never_writes_outside_the_cache()
    {
        var tgz = new Tarball().File("../escape.yaml", "x").File("/tmp/abs.yaml", "x").Symlink("l", "/").Hardlink("h", "/etc/passwd")
            .File("ok.yaml", "ok").Build();
        Server.Serve("/evil.tgz", tgz);
        using var cache = Cache();
        using var lease = await cache.AcquireAsync(Server.Url("/evil.tgz"), Tarball.Digest(tgz), default);
        Assert.Equal(["ok.yaml"], lease.Tree.Files);
        Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(Box.Root).Select(Path.GetFileName));
        Assert.False(File.Exists("/tmp/abs.yaml"));
    }

    [Fact]
    public async Task A_restarted_cache_finds_earlier_artifacts_on_disk()
    {
        var tgz = App();
        Server.Serve("/a.tgz", tgz);
        using (var first = Cache())
        {
            (await first.AcquireAsync(Server.Url("/a.tgz"), Tarball.Digest(tgz), default)).Dispose();
        }

        using var second = Cache();
        using var lease = await second.AcquireAsync(Server.Url("/a.tgz"), Tarball.Digest(tgz), default);
        Assert.Equal(["deploy/cm.yaml"], lease.Tree.Files);
        Assert.Equal(1, Server.Hits("/a.tgz"));
    }
}

/// <summary>The guard stays on here; loopback is reached only through an explicit exemption or a mapped name.</summary>
public sealed class GuardFetchTests : ServerTest
{
    private readonly byte[] _tgz = new Tarball().File("a.yaml", "a").Build();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Server.Serve("/a.tgz", _tgz);
    }

    private async Task<ArtifactException> RefusedAsync(ArtifactFetchOptions options, string url)
    {
        using var downloader = new ArtifactDownloader(options);
        var dest = Box.Combine("a.tgz");
        var e = await Assert.ThrowsAsync<ArtifactException>(() => downloader.DownloadAsync(url, ArtifactDigest.Parse(Tarball.Digest(_tgz)), dest, default));
        Assert.True(e.IsTerminal);
        Assert.False(File.Exists(dest));
        return e;
    }

    private static Func<string, CancellationToken, Task<IPAddress[]>> Names(Dictionary<string, IPAddress[]> map) =>
        (host, _) => Task.FromResult(map[host]);

    [Fact]
    public async Task Loopback_is_refused_by_default()
    {
        var e = await RefusedAsync(new ArtifactFetchOptions(), Server.Url("/a.tgz"));
        Assert.Contains("loopback address 127.0.0.1", e.Message);
        Assert.Equal(0, Server.Hits("/a.tgz"));
    }

    [Fact]
    public async Task A_name_resolving_to_loopback_is_refused_at_dial_time()
    {
        var options = new ArtifactFetchOptions { Resolve = Names(new() { ["artifacts.test"] = [IPAddress.Loopback] }) };
        var e = await RefusedAsync(options, $"http://artifacts.test:{Server.Port}/a.tgz");
        Assert.Contains("\"artifacts.test\" resolves to forbidden loopback address 127.0.0.1", e.Message);
        Assert.Equal(0, Server.Hits("/a.tgz"));
    }

    [Fact]
    public async Task One_forbidden_address_among_several_refuses_the_host()
    {
        var options = new ArtifactFetchOptions
        {
            ExemptAddresses = new HashSet<IPAddress> { IPAddress.Loopback },
            Resolve = Names(new() { ["mixed.test"] = [IPAddress.Loopback, IPAddress.Parse("169.254.169.254")] }),
        };
        var e = await RefusedAsync(options, $"http://mixed.test:{Server.Port}/a.tgz");
        Assert.Contains("link-local address 169.254.169.254", e.Message);
    }

    [Fact]
    public async Task The_pin_dials_the_validated_address()
    {
        var options = new ArtifactFetchOptions
        {
            ExemptAddresses = new HashSet<IPAddress> { IPAddress.Loopback },
            Resolve = Names(new() { ["artifacts.test"] = [IPAddress.Loopback] }),
        };
        using var downloader = new ArtifactDownloader(options);
        await downloader.DownloadAsync($"http://artifacts.test:{Server.Port}/a.tgz", ArtifactDigest.Parse(Tarball.Digest(_tgz)), Box.Combine("ok.tgz"), default);
        Assert.Equal(_tgz, File.ReadAllBytes(Box.Combine("ok.tgz")));
    }

    [Fact]
    public async Task A_redirect_to_localhost_is_refused_on_the_hop()
    {
        Server.Redirect("/to-localhost", $"http://localhost:{Server.Port}/a.tgz");
        var options = new ArtifactFetchOptions { ExemptAddresses = new HashSet<IPAddress> { IPAddress.Loopback } };
        var e = await RefusedAsync(options, Server.Url("/to-localhost"));
        Assert.Contains("host \"localhost\" is not allowed", e.Message);
        Assert.Equal(1, Server.Hits("/to-localhost"));
        Assert.Equal(0, Server.Hits("/a.tgz"));
    }

    [Fact]
    public async Task A_redirect_to_a_name_resolving_to_a_forbidden_address_is_refused_at_dial_time()
    {
        Server.Redirect("/to-meta", $"http://meta.test:{Server.Port}/a.tgz");
        var options = new ArtifactFetchOptions
        {
            ExemptAddresses = new HashSet<IPAddress> { IPAddress.Loopback },
            Resolve = Names(new() { ["meta.test"] = [IPAddress.Parse("169.254.169.254")] }),
        };
        var e = await RefusedAsync(options, Server.Url("/to-meta"));
        Assert.Contains("\"meta.test\" resolves to forbidden link-local address 169.254.169.254", e.Message);
    }

    [Fact]
    public async Task A_redirect_to_another_scheme_is_refused()
    {
        Server.Redirect("/to-file", "file:///etc/passwd");
        var options = new ArtifactFetchOptions { NetworkGuard = false };
        var e = await RefusedAsync(options, Server.Url("/to-file"));
        Assert.Contains("scheme \"file\"", e.Message);
    }
}
