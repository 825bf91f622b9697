namespace StageSet.Artifacts;

/// <summary>Where and how much the content-addressed cache keeps.</summary>
public sealed record ArtifactCacheOptions
{
    public required string Directory { get; init; }

    /// <summary>Bytes of unpacked artifacts kept; least recently used entries without leases go first.</summary>
    public long MaxBytes { get; init; } = 1024 * ArtifactLimits.MiB;

    public ArtifactFetchOptions Fetch { get; init; } = new();
}

/// <summary>
/// Downloads, verifies and unpacks each artifact digest once. Concurrent requests for one digest share a download;
/// callers hold a <see cref="ArtifactLease"/> while reading so eviction never removes files in use. Everything is
/// streamed to disk under <see cref="ArtifactCacheOptions.Directory"/>.
/// </summary>
public sealed class ArtifactCache : IDisposable
{
    private readonly ArtifactCacheOptions _options;
    private readonly ArtifactDownloader _downloader;
    private readonly string _root;
    private readonly string _staging;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<Entry>> _inFlight = new(StringComparer.Ordinal);
    private long _totalBytes;
    private long _clock;

    public ArtifactCache(ArtifactCacheOptions options)
    {
        _options = options;
        _root = Path.GetFullPath(options.Directory);
        _staging = Path.Combine(_root, ".staging");
        _downloader = new ArtifactDownloader(options.Fetch);
        if (Directory.Exists(_staging))
        {
            Directory.Delete(_staging, recursive: true);
        }

        Directory.CreateDirectory(_staging);
        LoadExisting();
    }

    /// <summary>Downloads (first time only) and returns the unpacked artifact, leased until disposed.</summary>
    public async Task<ArtifactLease> AcquireAsync(string url, string digest, CancellationToken ct)
    {
        var parsed = ArtifactDigest.Parse(digest);
        while (true)
        {
            Task<Entry> pending;
            lock (_lock)
            {
                if (_entries.TryGetValue(parsed.Hex, out var entry))
                {
                    entry.Leases++;
                    entry.LastUsed = ++_clock;
                    return new ArtifactLease(this, entry);
                }

                if (!_inFlight.TryGetValue(parsed.Hex, out pending!))
                {
                    // Not tied to the caller's token: other callers may be waiting on the same download.
                    pending = Task.Run(() => FetchAsync(url, parsed));
                    _inFlight[parsed.Hex] = pending;
                }
            }

            await pending.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Bytes of unpacked artifacts currently held.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_lock)
            {
                return _totalBytes;
            }
        }
    }

    /// <summary>Digests (hex) currently cached.</summary>
    public IReadOnlyList<string> CachedDigests()
    {
        lock (_lock)
        {
            return [.. _entries.Keys];
        }
    }

    private async Task<Entry> FetchAsync(string url, ArtifactDigest digest)
    {
        var id = Guid.NewGuid().ToString("N");
        var archive = Path.Combine(_staging, id + ".tgz");
        var unpacked = Path.Combine(_staging, id);
        try
        {
            await _downloader.DownloadAsync(url, digest, archive, CancellationToken.None).ConfigureAwait(false);
            ArtifactTree tree;
            await using (var file = File.OpenRead(archive))
            {
                tree = ArtifactUnpacker.Unpack(file, unpacked, _options.Fetch.Limits);
            }

            var final = Path.Combine(_root, digest.Hex);
            if (Directory.Exists(final))
            {
                Directory.Delete(final, recursive: true);
            }

            Directory.Move(unpacked, final);
            var moved = new ArtifactTree(final, tree.Files);
            var entry = new Entry(digest.Hex, moved, SizeOf(moved));
            lock (_lock)
            {
                _entries[digest.Hex] = entry;
                _totalBytes += entry.Size;
                entry.LastUsed = ++_clock;
                // The waiters have not leased the new entry yet; evicting it would make them download it again.
                EvictLocked(spare: entry);
            }

            return entry;
        }
        catch
        {
            QuietDelete.Directory(unpacked);
            throw;
        }
        finally
        {
            QuietDelete.File(archive);
            lock (_lock)
            {
                _inFlight.Remove(digest.Hex);
            }
        }
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Leases--;
            entry.LastUsed = ++_clock;
            EvictLocked();
        }
    }

    private void EvictLocked(Entry? spare = null)
    {
        while (_totalBytes > _options.MaxBytes)
        {
            var victim = _entries.Values.Where(e => e.Leases == 0 && e != spare).MinBy(e => e.LastUsed);
            if (victim is null)
            {
                return;
            }

            _entries.Remove(victim.Hex);
            _totalBytes -= victim.Size;
            QuietDelete.Directory(victim.Tree.Root);
        }
    }

    private void LoadExisting()
    {
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            var name = Path.GetFileName(dir);
            if (name.Length != 64 || !name.All(char.IsAsciiHexDigitLower))
            {
                continue;
            }

            var tree = ArtifactTree.FromDirectory(dir);
            var entry = new Entry(name, tree, SizeOf(tree)) { LastUsed = ++_clock };
            _entries[name] = entry;
            _totalBytes += entry.Size;
        }

        EvictLocked();
    }

    private static long SizeOf(ArtifactTree tree) => tree.Files.Sum(f => new FileInfo(tree.FullPath(f)).Length);

    public void Dispose() => _downloader.Dispose();

    internal sealed class Entry(string hex, ArtifactTree tree, long size)
    {
        public string Hex { get; } = hex;

        public ArtifactTree Tree { get; } = tree;

        public long Size { get; } = size;

        public int Leases { get; set; }

        public long LastUsed { get; set; }
    }

    /// <summary>Keeps an unpacked artifact from eviction until disposed.</summary>
    public sealed class ArtifactLease : IDisposable
    {
        private readonly ArtifactCache _cache;
        private readonly Entry _entry;
        private int _disposed;

        internal ArtifactLease(ArtifactCache cache, Entry entry)
        {
            _cache = cache;
            _entry = entry;
        }

        public ArtifactTree Tree => _entry.Tree;

        public string DigestHex => _entry.Hex;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _cache.Release(_entry);
            }
        }
    }
}
