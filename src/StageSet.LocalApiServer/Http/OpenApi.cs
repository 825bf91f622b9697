using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Http;

/// <summary>
/// The minimal OpenAPI v3 kubectl 1.32 needs (api-server.md §1.4): a root listing every served group/version and,
/// per group/version, the PATCH path of each kind declaring the <c>fieldValidation</c> parameter. No schemas.
/// </summary>
internal static class OpenApi
{
    public static JsonObject Root(RegistrySnapshot registry)
    {
        var paths = new JsonObject();
        foreach (var group in registry.Groups)
        {
            foreach (var version in group.Versions)
            {
                var key = GroupVersionPath(group.Name, version);
                var doc = GroupVersion(registry, group.Name, version);
                paths[key] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + key + "?hash=" + Hash(doc!) };
            }
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static string GroupVersionPath(string group, string version) => group.Length == 0 ? "api/" + version : "apis/" + group + "/" + version;

    /// <summary>The group/version document addressed by <c>/openapi/v3/&lt;path&gt;</c>, or null when not served.</summary>
    public static JsonObject? ForPath(RegistrySnapshot registry, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["api", var v] => GroupVersion(registry, "", v),
            ["apis", var g, var v] => GroupVersion(registry, g, v),
            _ => null,
        };
    }

    public static JsonObject? GroupVersion(RegistrySnapshot registry, string group, string version)
    {
        var resources = registry.InGroupVersion(group, version).Where(r => !r.IsReview).OrderBy(r => r.Resource, StringComparer.Ordinal).ToList();
        if (!registry.InGroupVersion(group, version).Any())
        {
            return null;
        }

        var prefix = "/" + GroupVersionPath(group, version);
        var paths = new JsonObject();
        foreach (var r in resources)
        {
            var itemPath = r.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{r.Resource}/{{name}}" : $"{prefix}/{r.Resource}/{{name}}";
            paths[itemPath] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = r.Kind },
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query" },
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query" },
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query" },
                        new JsonObject { ["name"] = "force", ["in"] = "query" }),
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
        };
    }

    public static string Hash(JsonNode doc) =>
        Convert.ToHexString(SHA512.HashData(JsonSerializer.SerializeToUtf8Bytes(doc, JsonWire.Options)));
}
