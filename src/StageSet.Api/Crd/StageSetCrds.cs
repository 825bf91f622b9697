using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Api.Crd;

/// <summary>
/// The CustomResourceDefinitions of this API, built from the C# types. <c>config/crd/</c> holds them rendered as
/// YAML by <c>tools/StageSet.CrdGen</c>; servers and tests can install them straight from here.
/// </summary>
public static class StageSetCrds
{
    /// <summary>File name (as under <c>config/crd/</c>) and CRD object, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, JsonObject>> All() =>
    [
        new("stages.metio.wtf_stagesets.yaml", StageSet()),
        new("stages.metio.wtf_stageinventories.yaml", StageInventory()),
    ];

    public static JsonObject StageSet()
    {
        var root = RootSchema(typeof(StageSet), ("spec", typeof(StageSetSpec)), ("status", typeof(StageSetStatus)));
        return Crd(
            StageSetGroup.StageSetPlural, StageSetGroup.StageSetKind, StageSetGroup.StageSetListKind, StageSetGroup.StageSetSingular,
            labels: null,
            columns:
            [
                Column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
                Column("Status", "string", ".status.conditions[?(@.type==\"Ready\")].message"),
                Column("Age", "date", ".metadata.creationTimestamp"),
            ],
            root,
            subresources: new JsonObject { ["status"] = new JsonObject() });
    }

    public static JsonObject StageInventory()
    {
        var root = RootSchema(typeof(StageInventory), ("spec", typeof(StageInventorySpec)));
        return Crd(
            StageSetGroup.StageInventoryPlural, StageSetGroup.StageInventoryKind, StageSetGroup.StageInventoryListKind, StageSetGroup.StageInventorySingular,
            // KEP-3659: kubectl only accepts a custom resource as an ApplySet parent when its CRD says so.
            labels: new JsonObject { [Labels.ApplySetIsParentType] = "true" },
            columns:
            [
                Column("Stage", "string", ".metadata.labels.stages\\.metio\\.wtf/stage"),
                Column("Age", "date", ".metadata.creationTimestamp"),
            ],
            root,
            subresources: new JsonObject());
    }

    /// <summary>The version-1 schema of a CRD object built by this class.</summary>
    public static JsonSchemaProps Schema(JsonObject crd) =>
        JsonSchemaProps.Parse(crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]);

    private static JsonSchemaProps RootSchema(Type rootType, params (string Name, Type Type)[] parts)
    {
        var properties = new List<KeyValuePair<string, JsonSchemaProps>>
        {
            new("apiVersion", new JsonSchemaProps
            {
                Type = "string",
                Description = "The versioned schema of this object; the server may convert recognised versions to the one it stores.",
            }),
            new("kind", new JsonSchemaProps
            {
                Type = "string",
                Description = "The REST resource this object represents, in CamelCase; the server may infer it from the endpoint.",
            }),
            new("metadata", new JsonSchemaProps { Type = "object" }),
        };
        properties.AddRange(parts.Select(p => new KeyValuePair<string, JsonSchemaProps>(p.Name, TypeSchemas.For(p.Type))));
        var description = (Attribute.GetCustomAttribute(rootType, typeof(DescriptionAttribute)) as DescriptionAttribute)?.Text;
        return new JsonSchemaProps { Type = "object", Description = description, Properties = properties };
    }

    private static JsonObject Column(string name, string type, string jsonPath) =>
        new() { ["jsonPath"] = jsonPath, ["name"] = name, ["type"] = type };

    private static JsonObject Crd(string plural, string kind, string listKind, string singular, JsonObject? labels,
        JsonArray columns, JsonSchemaProps schema, JsonObject subresources)
    {
        var metadata = new JsonObject();
        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        metadata["name"] = plural + "." + StageSetGroup.Group;
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["group"] = StageSetGroup.Group,
                ["names"] = new JsonObject
                {
                    ["kind"] = kind,
                    ["listKind"] = listKind,
                    ["plural"] = plural,
                    ["singular"] = singular,
                },
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["additionalPrinterColumns"] = columns,
                    ["name"] = StageSetGroup.Version,
                    ["schema"] = new JsonObject { ["openAPIV3Schema"] = schema.ToJson() },
                    ["served"] = true,
                    ["storage"] = true,
                    ["subresources"] = subresources,
                }),
            },
        };
    }
}
