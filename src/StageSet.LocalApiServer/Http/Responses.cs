using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Http;

/// <summary>Writes JSON answers and Status bodies.</summary>
internal static class Responses
{
    public const string Json = "application/json";

    public static async Task WriteJsonAsync(HttpResponse response, int code, JsonNode body, string contentType = Json)
    {
        response.StatusCode = code;
        response.ContentType = contentType;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, JsonWire.Options);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }

    public static async Task WriteBytesAsync(HttpResponse response, int code, byte[] json, string contentType = Json)
    {
        response.StatusCode = code;
        response.ContentType = contentType;
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json);
    }

    public static async Task WriteErrorAsync(HttpResponse response, ApiError error)
    {
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        if (error.Status is null)
        {
            response.StatusCode = error.Code;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(error.PlainText ?? "");
            return;
        }

        await WriteJsonAsync(response, error.Code, error.Status);
    }

    public static JsonObject Success(JsonObject details) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = details,
    };
}
