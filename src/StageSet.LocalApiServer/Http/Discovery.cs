using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Http;

/// <summary>Discovery documents (legacy and aggregated, api-server.md §1.2–§1.3) built from a registry snapshot.</summary>
internal static class Discovery
{
    public const string AggregatedV2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    public const string AggregatedV2Beta1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    public static JsonObject GroupList(RegistrySnapshot registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.Groups.Where(g => g.Name.Length > 0).Select(g => (JsonNode?)Group(g)).ToArray()),
    };

    public static JsonObject? Group(RegistrySnapshot registry, string name)
    {
        var group = registry.Groups.FirstOrDefault(g => g.Name == name && name.Length > 0);
        if (group is null)
        {
            return null;
        }

        var doc = Group(group);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    private static JsonObject Group(ApiGroupInfo group) => new()
    {
        ["name"] = group.Name,
        ["versions"] = new JsonArray(group.Versions.Select(v => (JsonNode?)GroupVersionFor(group.Name, v)).ToArray()),
        ["preferredVersion"] = GroupVersionFor(group.Name, group.Versions[0]),
    };

    private static JsonObject GroupVersionFor(string group, string version) => new()
    {
        ["groupVersion"] = group + "/" + version,
        ["version"] = version,
    };

    /// <summary>The APIResourceList of one group/version, or null when it is not served.</summary>
    public static JsonObject? ResourceList(RegistrySnapshot registry, string group, string version)
    {
        var resources = registry.InGroupVersion(group, version).OrderBy(r => r.Resource, StringComparer.Ordinal).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var r in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Resource,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = Strings(r.Verbs),
            };
            if (r.ShortNames.Count > 0)
            {
                entry["shortNames"] = Strings(r.ShortNames);
            }

            if (r.Categories.Count > 0)
            {
                entry["categories"] = Strings(r.Categories);
            }

            list.Add(entry);
            foreach (var sub in r.Subresources.Order(StringComparer.Ordinal))
            {
                var (kindGroup, kindVersion, kind, verbs) = SubresourceKind(r, sub);
                var subEntry = new JsonObject
                {
                    ["name"] = r.Resource + "/" + sub,
                    ["singularName"] = "",
                    ["namespaced"] = r.Namespaced,
                };
                if (kindGroup != r.Group || kindVersion != r.Version)
                {
                    subEntry["group"] = kindGroup;
                    subEntry["version"] = kindVersion;
                }

                subEntry["kind"] = kind;
                subEntry["verbs"] = Strings(verbs);
                list.Add(subEntry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = list,
        };
    }

    /// <summary>APIGroupDiscoveryList for <c>/api</c> (core only) or <c>/apis</c> (every named group).</summary>
    public static JsonObject Aggregated(RegistrySnapshot registry, bool core, string apiVersion)
    {
        var items = new JsonArray();
        foreach (var group in registry.Groups.Where(g => (g.Name.Length == 0) == core))
        {
            var versions = new JsonArray();
            foreach (var version in group.Versions)
            {
                var resources = new JsonArray();
                foreach (var r in registry.InGroupVersion(group.Name, version).OrderBy(r => r.Resource, StringComparer.Ordinal))
                {
                    var entry = new JsonObject
                    {
                        ["resource"] = r.Resource,
                        ["responseKind"] = Kind(r.Group, r.Version, r.Kind),
                        ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = r.Singular,
                        ["verbs"] = Strings(r.Verbs),
                    };
                    if (r.ShortNames.Count > 0)
                    {
                        entry["shortNames"] = Strings(r.ShortNames);
                    }

                    if (r.Categories.Count > 0)
                    {
                        entry["categories"] = Strings(r.Categories);
                    }

                    if (r.Subresources.Count > 0)
                    {
                        var subs = new JsonArray();
                        foreach (var sub in r.Subresources.Order(StringComparer.Ordinal))
                        {
                            var (g, v, k, verbs) = SubresourceKind(r, sub);
                            subs.Add(new JsonObject { ["subresource"] = sub, ["responseKind"] = Kind(g, v, k), ["verbs"] = Strings(verbs) });
                        }

                        entry["subresources"] = subs;
                    }

                    resources.Add(entry);
                }

                versions.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }

            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group.Name, ["creationTimestamp"] = null },
                ["versions"] = versions,
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    /// <summary>Which aggregated discovery version the Accept header asks for, if any.</summary>
    public static string? AggregatedRequested(string? accept)
    {
        if (accept is null)
        {
            return null;
        }

        foreach (var part in accept.Split(','))
        {
            var p = part.Replace(" ", "", StringComparison.Ordinal);
            if (!p.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) || !p.Contains("g=apidiscovery.k8s.io", StringComparison.Ordinal))
            {
                continue;
            }

            if (p.Contains("v=v2beta1", StringComparison.Ordinal))
            {
                return AggregatedV2Beta1;
            }

            if (p.Contains("v=v2", StringComparison.Ordinal))
            {
                return AggregatedV2;
            }
        }

        return null;
    }

    public static string ETag(JsonNode doc) =>
        "\"" + Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(doc, JsonWire.Options))) + "\"";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "70d3cc986aa8221cd1dfb1121852688902d3bf53",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T17:59:15Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static (string Group, string Version, string Kind, IReadOnlyList<string> Verbs) SubresourceKind(ResourceType r, string sub) => sub switch
    {
        "scale" => ("autoscaling", "v1", "Scale", ResourceVerbs.Subresource),
        "finalize" => (r.Group, r.Version, r.Kind, ["update"]),
        "token" => ("authentication.k8s.io", "v1", "TokenRequest", ResourceVerbs.CreateOnly),
        _ => (r.Group, r.Version, r.Kind, ResourceVerbs.Subresource),
    };

    private static JsonObject Kind(string group, string version, string kind) => new()
    {
        ["group"] = group,
        ["version"] = version,
        ["kind"] = kind,
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
