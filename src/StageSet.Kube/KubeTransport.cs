using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace StageSet.Kube;

/// <summary>Tuning for one connection; tests shorten the retry pauses.</summary>
public sealed record KubeTransportOptions
{
    /// <summary>Extra attempts after a throttled (429) or server-side (5xx) answer to an idempotent request.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First pause between attempts when the server gives no Retry-After; doubles each attempt.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound for any pause, including a server's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline for one ordinary (non-watch) request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string UserAgent { get; init; } = "stageset-controller";

    /// <summary>
    /// Who the connection's own identity acts as (kubectl's <c>--as</c>/<c>--as-group</c>/<c>--as-uid</c>); applies to
    /// requests that do not impersonate a tenant themselves.
    /// </summary>
    public Impersonation? Impersonate { get; init; }
}

/// <summary>The <c>Impersonate-*</c> headers a client such as stagesetctl sends for its caller.</summary>
public sealed record Impersonation(string User)
{
    public IReadOnlyList<string> Groups { get; init; } = [];

    public string? Uid { get; init; }
}

/// <summary>One HTTP request to the API server, built by <see cref="DynamicClient"/>.</summary>
internal sealed record KubeRequest(HttpMethod Method, string PathAndQuery, string Operation)
{
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/json";

    public KubeIdentity Identity { get; init; }

    /// <summary>Safe to send again after a 429/5xx: reads, applies, deletes, updates guarded by resourceVersion.</summary>
    public bool Idempotent { get; init; }
}

/// <summary>
/// HTTP to one API server with the credentials of a <see cref="KubernetesClientConfiguration"/>. The
/// KubernetesClient library supplies TLS and authentication; requests and JSON handling are ours because every
/// layer works on <see cref="JsonObject"/> and kinds known only at run time.
/// </summary>
public sealed class KubeTransport : IDisposable
{
    private readonly Kubernetes _kube;
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly KubeTransportOptions _options;

    public KubeTransport(KubernetesClientConfiguration config, KubeTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _options = options ?? new KubeTransportOptions();
        // The library wires TLS and client certificates into the handler chain it builds around our entry handler;
        // we send through that chain with our own HttpClient (no client-wide timeout, so watches can stay open).
        var entry = new PassThroughHandler();
        _kube = new Kubernetes(config, entry);
        _http = new HttpClient(entry, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var host = _kube.BaseUri.ToString();
        _base = new Uri(host.EndsWith('/') ? host : host + "/");
    }

    public KubeTransportOptions Options => _options;

    /// <summary>The typed client on the same configuration, for library features such as leader election.</summary>
    public IKubernetes TypedClient => _kube;

    internal async Task<JsonObject> SendAsync(KubeRequest request, CancellationToken ct)
    {
        var text = await SendForTextAsync(request, ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject
                   ?? throw new KubeApiException(request.Operation, 0, "InvalidResponse", "response is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new KubeApiException(request.Operation, 0, "InvalidResponse", "response is not JSON: " + ex.Message,
                inner: ex);
        }
    }

    private async Task<string> SendForTextAsync(KubeRequest request, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage response;
            try
            {
                using var message = await BuildAsync(request, timeout.Token).ConfigureAwait(false);
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, timeout.Token)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException ||
                                       (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                if (request.Idempotent && attempt < _options.MaxRetries)
                {
                    await Task.Delay(Backoff(attempt, null), ct).ConfigureAwait(false);
                    continue;
                }

                throw new KubeApiException(request.Operation, 0, "ConnectionFailed", ex.Message, inner: ex);
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return body;
                }

                var code = (int)response.StatusCode;
                var retryable = code == 429 || (code >= 500 && request.Idempotent);
                if (retryable && attempt < _options.MaxRetries)
                {
                    await Task.Delay(Backoff(attempt, response.Headers.RetryAfter), ct).ConfigureAwait(false);
                    continue;
                }

                throw ToException(request.Operation, response.StatusCode, body);
            }
        }
    }

    /// <summary>Opens a streaming GET (watch) and returns the open response; the caller reads and disposes it.</summary>
    internal async Task<HttpResponseMessage> OpenStreamAsync(KubeRequest request, CancellationToken ct)
    {
        using var message = await BuildAsync(request, ct).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new KubeApiException(request.Operation, 0, "ConnectionFailed", ex.Message, inner: ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw ToException(request.Operation, response.StatusCode, body);
        }
    }

    private async Task<HttpRequestMessage> BuildAsync(KubeRequest request, CancellationToken ct)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(_base, request.PathAndQuery.TrimStart('/')));
        message.Headers.UserAgent.ParseAdd(_options.UserAgent);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!request.Identity.IsController)
        {
            message.Headers.Add("Impersonate-User", request.Identity.ImpersonatedUser);
        }
        else if (_options.Impersonate is { } caller)
        {
            message.Headers.Add("Impersonate-User", caller.User);
            foreach (var group in caller.Groups)
            {
                message.Headers.Add("Impersonate-Group", group);
            }

            if (!string.IsNullOrEmpty(caller.Uid))
            {
                message.Headers.Add("Impersonate-Uid", caller.Uid);
            }
        }

        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }

        if (_kube.Credentials is not null)
        {
            await _kube.Credentials.ProcessHttpRequestAsync(message, ct).ConfigureAwait(false);
        }

        return message;
    }

    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        var delay = retryAfter?.Delta
                    ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : (TimeSpan?)null)
                    ?? _options.RetryBaseDelay * Math.Pow(2, attempt);
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        return delay > _options.RetryMaxDelay ? _options.RetryMaxDelay : delay;
    }

    internal static KubeApiException ToException(string operation, HttpStatusCode statusCode, string body)
    {
        JsonObject? status = null;
        try
        {
            status = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Plain-text answers (throttling, proxies) keep their text as the message.
        }

        var code = (int)statusCode;
        if (status is not null && status["kind"]?.GetValue<string>() == "Status")
        {
            var reason = status["reason"]?.GetValue<string>() ?? "";
            var message = status["message"]?.GetValue<string>() ?? body;
            return new KubeApiException(operation, code, reason.Length > 0 ? reason : statusCode.ToString(), message,
                status);
        }

        var text = body.Trim();
        return new KubeApiException(operation, code, statusCode.ToString(), text.Length > 0 ? text : statusCode.ToString());
    }

    private sealed class PassThroughHandler : DelegatingHandler;

    public void Dispose()
    {
        _http.Dispose();
        _kube.Dispose();
    }
}
