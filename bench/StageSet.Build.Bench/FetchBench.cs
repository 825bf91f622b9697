using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using StageSet.Artifacts;

/// <summary>
/// Four concurrent fetches of 64 MiB artifacts (incompressible, so 64 MiB on the wire and on disk) from a loopback
/// HTTP server, through the real cache: wall time, bytes the process allocated and its peak resident set. Everything
/// on the bench's own side streams from disk, so the peak reflects the fetch path.
/// </summary>
internal static class FetchBench
{
    private const int Artifacts = 4;
    private const int EntriesPerArtifact = 4;

    // Just under the per-entry cap (16 MiB), so four entries stay under the extracted (64 MiB) and download caps
    // (stored deflate blocks: random bytes would not shrink anyway, and stored blocks add the least overhead).
    private const int EntryBytes = (16 * 1024 * 1024) - (128 * 1024);

    public static async Task RunAsync(string work)
    {
        var source = Path.Combine(work, "fetch-src");
        Directory.CreateDirectory(source);
        var entries = Enumerable.Range(0, EntriesPerArtifact).Select(i => RandomFile(Path.Combine(source, $"e{i}.bin"))).ToList();
        var tarballs = Enumerable.Range(0, Artifacts).Select(a => Tarball(Path.Combine(work, $"artifact-{a}.tgz"), a, entries)).ToList();
        var digests = tarballs.Select(Digest).ToList();

        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = ServeAsync(listener, work);
        try
        {
            using var cache = new ArtifactCache(new ArtifactCacheOptions
            {
                Directory = Path.Combine(work, "cache"),
                MaxBytes = 1024L * 1024 * 1024,
                Fetch = new ArtifactFetchOptions { NetworkGuard = false },
            });

            GC.Collect();
            var peakBefore = PeakRss();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var leases = await Task.WhenAll(tarballs.Select((t, i) =>
                cache.AcquireAsync($"http://127.0.0.1:{port}/{Path.GetFileName(t)}", digests[i], default)));
            watch.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var peakAfter = PeakRss();
            var unpacked = leases.Sum(l => l.Tree.Files.Sum(f => new FileInfo(l.Tree.FullPath(f)).Length));
            foreach (var lease in leases)
            {
                lease.Dispose();
            }

            var compressed = tarballs.Sum(t => new FileInfo(t).Length);
            Console.WriteLine();
            Console.WriteLine($"concurrent fetch: {Artifacts} artifacts of {Mib(compressed / Artifacts)} each ({Mib(compressed)} downloaded, {Mib(unpacked)} unpacked)");
            Console.WriteLine($"  wall time            {watch.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms");
            Console.WriteLine($"  managed allocations  {Mib(allocated)}");
            Console.WriteLine($"  peak RSS             {Mib(peakBefore)} before, {Mib(peakAfter)} after (+{Mib(peakAfter - peakBefore)})");
        }
        finally
        {
            listener.Stop();
            await serving.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    // VmHWM is the kernel's high-water mark of the resident set; Process.PeakWorkingSet64 reads the same on Linux.
    private static long PeakRss()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    private static string RandomFile(string path)
    {
        using var file = File.Create(path);
        var chunk = new byte[1024 * 1024];
        for (var written = 0; written < EntryBytes; written += chunk.Length)
        {
            RandomNumberGenerator.Fill(chunk);
            file.Write(chunk, 0, Math.Min(chunk.Length, EntryBytes - written));
        }

        return path;
    }

    private static string Tarball(string path, int index, IReadOnlyList<string> entries)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.NoCompression);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in entries)
        {
            tar.WriteEntry(entry, $"artifact-{index}/{Path.GetFileName(entry)}");
        }

        return path;
    }

    private static string Digest(string path)
    {
        using var file = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(file));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task ServeAsync(HttpListener listener, string root)
    {
        var requests = new List<Task>();
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            requests.Add(Task.Run(async () =>
            {
                var path = Path.Combine(root, Path.GetFileName(context.Request.Url!.AbsolutePath));
                await using var body = File.OpenRead(path);
                context.Response.ContentLength64 = body.Length;
                await body.CopyToAsync(context.Response.OutputStream);
                context.Response.Close();
            }));
        }

        await Task.WhenAll(requests);
    }
}
