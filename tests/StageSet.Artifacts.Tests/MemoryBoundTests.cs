using System.Security.Cryptography;

namespace StageSet.Artifacts.Tests;

/// <summary>Runs alone: it reads the process-wide allocation counter, which parallel tests would inflate.</summary>
[CollectionDefinition(nameof(MemoryBoundCollection), DisableParallelization = true)]
public sealed class MemoryBoundCollection;

/// <summary>
/// The fetch path streams (download to disk while hashing, unpack from disk entry by entry): fetching several large
/// artifacts at once allocates less than the size of one of them, so four 64 MiB artifacts never need 4×64 MiB of RAM.
/// The full-size figure (four concurrent 64 MiB artifacts, peak RSS) is measured in bench/StageSet.Build.Bench.
/// </summary>
[Collection(nameof(MemoryBoundCollection))]
public sealed class MemoryBoundTests : ServerTest
{
    private const int EntryBytes = 4 * 1024 * 1024;
    private const int ArtifactBytes = 2 * EntryBytes;

    [Fact]
    public async Task Four_concurrent_fetches_allocate_less_than_one_artifact()
    {
        // Random content does not compress, so every artifact is about ArtifactBytes on the wire and on disk.
        var artifacts = Enumerable.Range(0, 4).Select(i => new Tarball()
            .File($"a{i}/one.bin", RandomNumberGenerator.GetBytes(EntryBytes))
            .File($"a{i}/two.bin", RandomNumberGenerator.GetBytes(EntryBytes))
            .Build()).ToList();
        for (var i = 0; i < artifacts.Count; i++)
        {
            Server.Serve($"/{i}.tgz", artifacts[i]);
        }

        using var cache = new ArtifactCache(new ArtifactCacheOptions
        {
            Directory = Box.Combine("cache"),
            Fetch = new ArtifactFetchOptions { NetworkGuard = false },
        });

        // One warm-up fetch so that one-off allocations (HTTP connection, JIT, Kestrel pools) are not counted.
        var warm = new Tarball().File("w.yaml", "w").Build();
        Server.Serve("/warm.tgz", warm);
        (await cache.AcquireAsync(Server.Url("/warm.tgz"), Tarball.Digest(warm), default)).Dispose();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var leases = await Task.WhenAll(artifacts.Select((tgz, i) =>
            cache.AcquireAsync(Server.Url($"/{i}.tgz"), Tarball.Digest(tgz), default)));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        for (var i = 0; i < leases.Length; i++)
        {
            Assert.Equal([$"a{i}/one.bin", $"a{i}/two.bin"], leases[i].Tree.Files);
            Assert.Equal(EntryBytes, new FileInfo(leases[i].Tree.FullPath($"a{i}/two.bin")).Length);
            leases[i].Dispose();
        }

        Assert.True(allocated < ArtifactBytes,
            $"four concurrent fetches of {ArtifactBytes} bytes each allocated {allocated} bytes: something buffers a whole artifact");
    }
}
