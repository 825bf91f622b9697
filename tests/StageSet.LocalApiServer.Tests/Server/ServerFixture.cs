using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using ApiServer = StageSet.LocalApiServer.LocalApiServer;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>One server per test class; tests isolate themselves with their own namespaces.</summary>
public class ServerFixture : IAsyncLifetime
{
    private int _namespaces;

    protected virtual LocalApiServerOptions Options => new();

    public ApiServer Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ApiServer.StartAsync(Options);
        Client = Server.CreateClient();
        Http = Server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Creates a fresh namespace for one test.</summary>
    public async Task<string> NamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _namespaces)}";
        var response = await SendAsync(HttpMethod.Post, "/api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        Assert.Equal(201, (int)response.Status);
        return name;
    }

    public Task<RawResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json",
        IDictionary<string, string>? headers = null) =>
        RawResponse.SendAsync(Http, method, path, body?.ToJsonString(), contentType, headers);
}

/// <summary>A raw HTTP answer with its body parsed when it is JSON.</summary>
public sealed record RawResponse(System.Net.HttpStatusCode Status, string Body, HttpResponseHeaders Headers, string ContentType)
{
    public int Code => (int)Status;

    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;

    public static async Task<RawResponse> SendAsync(HttpClient http, HttpMethod method, string path, string? body, string contentType = "application/json",
        IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new RawResponse(response.StatusCode, text, response.Headers, response.Content.Headers.ContentType?.ToString() ?? "");
    }
}
