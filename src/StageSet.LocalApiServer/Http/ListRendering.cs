using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Http;

/// <summary>Writes objects as the endpoint's version sees them, and lists in the wire shape of kube-apiserver.</summary>
internal static class ListRendering
{
    /// <summary>The stored object as <paramref name="rt"/>'s version presents it (conversion None: apiVersion rewritten).</summary>
    public static JsonObject Present(ResourceType rt, StoredObject stored)
    {
        var obj = stored.ToJsonObject();
        obj["apiVersion"] = rt.ApiVersion;
        return obj;
    }

    public static async Task WriteObjectAsync(HttpResponse response, int code, ResourceType rt, StoredObject stored)
    {
        if (rt.IsCustom && rt.Custom!.StorageVersion != rt.Version)
        {
            await Responses.WriteJsonAsync(response, code, Present(rt, stored));
            return;
        }

        await Responses.WriteBytesAsync(response, code, stored.Json);
    }

    /// <summary>
    /// <c>&lt;Kind&gt;List</c> with items in order. Built-in list items carry no kind/apiVersion; custom resource
    /// items do (api-server.md §3.1).
    /// </summary>
    public static byte[] List(ResourceType rt, IEnumerable<StoredObject> items, long resourceVersion, string? continueToken, long? remaining)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWire.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", rt.Kind + "List");
            writer.WriteString("apiVersion", rt.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            if (remaining is { } r)
            {
                writer.WriteNumber("remainingItemCount", r);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                WriteItem(writer, rt, item);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteItem(Utf8JsonWriter writer, ResourceType rt, StoredObject item)
    {
        using var doc = JsonDocument.Parse(item.Json);
        writer.WriteStartObject();
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.NameEquals("kind") || property.NameEquals("apiVersion"))
            {
                if (!rt.IsCustom)
                {
                    continue;
                }

                if (property.NameEquals("apiVersion"))
                {
                    writer.WriteString("apiVersion", rt.ApiVersion);
                    continue;
                }
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>An opaque continue token: base64 of the list resourceVersion and the next key.</summary>
    public static string ContinueToken(long rv, string nextKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new JsonObject
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = rv,
            ["start"] = nextKey,
        })));

    public static (long Rv, string Start) ParseContinue(string token)
    {
        try
        {
            var obj = JsonNode.Parse(Convert.FromBase64String(token)) as JsonObject;
            var rv = obj?["rv"]?.GetValue<long>() ?? throw new FormatException();
            var start = obj["start"]?.GetValue<string>() ?? throw new FormatException();
            return (rv, start);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiError.BadRequest("continue key is not valid: " + e.Message);
        }
    }
}
