using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>Small object builders for tests.</summary>
internal static class Objects
{
    public static JsonObject ConfigMap(string ns, string name, JsonObject? data = null, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Meta(ns, name, labels),
        ["data"] = data ?? new JsonObject { ["a"] = "1" },
    };

    public static JsonObject Deployment(string ns, string name, string image = "nginx:1") => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Meta(ns, name, null),
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }),
                },
            },
        },
    };

    public static JsonObject StatefulSet(string ns, string name) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "StatefulSet",
        ["metadata"] = Meta(ns, name, null),
        ["spec"] = new JsonObject
        {
            ["serviceName"] = name,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "db", ["image"] = "postgres:16" }),
                },
            },
        },
    };

    private static JsonObject Meta(string ns, string name, JsonObject? labels)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        return meta;
    }

    public static string Rv(JsonObject obj) => (string)obj["metadata"]!["resourceVersion"]!;
}
