using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace StageSet.Artifacts;

/// <summary>
/// Streams <c>status.artifact.url</c> to a file while hashing it (flux-source-contract.md §2.2-2.3). The digest is
/// verified over the compressed bytes before the caller may use the file. Redirects are followed by hand so the
/// string guard sees every hop; the dial-time pin sees every connection.
/// </summary>
public sealed class ArtifactDownloader : IDisposable
{
    private readonly HttpClient _client;
    private readonly ArtifactFetchOptions _options;

    public ArtifactDownloader(ArtifactFetchOptions? options = null)
    {
        _options = options ?? new ArtifactFetchOptions();
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        if (_options.NetworkGuard)
        {
            handler.ConnectCallback = PinnedConnectAsync;
        }

        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="destination"/> and checks it against
    /// <paramref name="expected"/>. On any failure the destination file is removed.
    /// </summary>
    public async Task DownloadAsync(string url, ArtifactDigest expected, string destination, CancellationToken ct)
    {
        var uri = _options.NetworkGuard ? UrlGuard.CheckUrl(url, _options.ExemptAddresses) : ParseUnguarded(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await GetFollowingRedirectsAsync(uri, timeout.Token).ConfigureAwait(false);
            var actual = await CopyHashedAsync(response, destination, timeout.Token).ConfigureAwait(false);
            if (actual.Hex != expected.Hex)
            {
                throw ArtifactException.Terminal(
                    $"artifact digest mismatch for {Redact(uri)}: expected {expected}, got {actual}");
            }
        }
        catch (Exception e)
        {
            QuietDelete.File(destination);
            throw Classify(e, uri, ct, timeout.Token);
        }
    }

    private async Task<HttpResponseMessage> GetFollowingRedirectsAsync(Uri uri, CancellationToken ct)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct)
                .ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is null)
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    response.Dispose();
                    throw ArtifactException.Transient(
                        $"artifact download from {Redact(uri)} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
                }

                return response;
            }

            var next = new Uri(uri, response.Headers.Location);
            response.Dispose();
            if (hop + 1 >= _options.MaxRedirects)
            {
                throw ArtifactException.Transient(
                    $"artifact download from {Redact(uri)} failed: stopped after {_options.MaxRedirects} redirects");
            }

            if (_options.NetworkGuard)
            {
                UrlGuard.CheckUri(next, _options.ExemptAddresses);
            }
            else
            {
                UrlGuard.CheckScheme(next);
            }

            uri = next;
        }
    }

    private async Task<ArtifactDigest> CopyHashedAsync(HttpResponseMessage response, string destination,
        CancellationToken ct)
    {
        var cap = _options.Limits.MaxCompressedBytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using var file = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None,
            81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > cap)
            {
                throw ArtifactException.Terminal(
                    $"artifact exceeds the download size limit of {cap} bytes");
            }

            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
        }

        return ArtifactDigest.Of(hash.GetHashAndReset());
    }

    private async ValueTask<Stream> PinnedConnectAsync(SocketsHttpConnectionContext context,
        CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = UrlGuard.ParseLiteral(host) is { } literal
            ? [literal]
            : await _options.Resolve(host, ct).ConfigureAwait(false);
        foreach (var ip in addresses)
        {
            if (UrlGuard.IsForbidden(ip) && !_options.ExemptAddresses.Contains(ip))
            {
                throw ArtifactException.Terminal(
                    $"artifact host \"{host}\" resolves to forbidden {UrlGuard.Describe(ip)} address {ip}");
            }
        }

        Exception? last = null;
        foreach (var ip in addresses)
        {
            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(ip, context.DnsEndPoint.Port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static Uri ParseUnguarded(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw ArtifactException.Terminal($"artifact URL \"{url}\" is not a valid absolute URL");
        }

        UrlGuard.CheckScheme(uri);
        return uri;
    }

    private Exception Classify(Exception e, Uri uri, CancellationToken caller, CancellationToken timeout)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is ArtifactException artifact)
            {
                return artifact;
            }
        }

        if (e is OperationCanceledException && caller.IsCancellationRequested)
        {
            return e;
        }

        if (e is OperationCanceledException && timeout.IsCancellationRequested)
        {
            return ArtifactException.Transient(
                $"artifact download from {Redact(uri)} timed out after {_options.Timeout}", e);
        }

        return ArtifactException.Transient($"artifact download from {Redact(uri)} failed: {e.Message}", e);
    }

    private static bool IsRedirect(HttpStatusCode code) =>
        code is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    // Query strings of pre-signed URLs carry credentials; keep them out of messages.
    private static string Redact(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    public void Dispose() => _client.Dispose();
}
