using System.Text.Json.Nodes;
using StageSet.LocalApiServer.FieldManagement;

namespace StageSet.LocalApiServer.Tests.FieldManagement;

/// <summary>Shortcuts for reading managedFields entries in assertions.</summary>
internal static class Managed
{
    public static JsonArray Entries(JsonObject obj) => obj["metadata"]?["managedFields"] as JsonArray ?? [];

    public static JsonObject? Entry(JsonObject obj, string manager, string operation = "Apply") =>
        Entries(obj).OfType<JsonObject>().SingleOrDefault(e => (string?)e["manager"] == manager && (string?)e["operation"] == operation);

    /// <summary>The manager's FieldsV1 as kube-apiserver serialises it, or null without an entry.</summary>
    public static string? Fields(JsonObject obj, string manager, string operation = "Apply") =>
        Entry(obj, manager, operation) is { } e ? FieldsV1.Serialize(FieldsV1.Parse(e["fieldsV1"])) : null;

    public static string[] Managers(JsonObject obj) =>
        Entries(obj).OfType<JsonObject>().Select(e => $"{e["manager"]}/{e["operation"]}").ToArray();

    public static JsonObject Dep(string spec, string labels = """{"app":"web"}""") => JsonAssert.Obj($$"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"apps","labels":{{labels}}},"spec":{{spec}}}
        """);

    public static JsonObject Cm(string data) => JsonAssert.Obj($$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"apps"},"data":{{data}}}
        """);

    public static JsonObject Widget(string spec) => JsonAssert.Obj($$"""
        {"apiVersion":"stable.example.com/v1","kind":"Widget","metadata":{"name":"w","namespace":"apps"},"spec":{{spec}}}
        """);

    public static ApplyRequest Apply(string manager, DateTimeOffset? now = null, bool force = false, string subresource = "") =>
        new(manager, force, subresource, now ?? TestSchemas.T0);

    public static UpdateRequest Update(string manager, string apiVersion, DateTimeOffset? now = null, string subresource = "") =>
        new(manager, apiVersion, subresource, now ?? TestSchemas.T0);
}
