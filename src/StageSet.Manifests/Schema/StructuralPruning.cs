using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Schema;

/// <summary>
/// Removes what a structural schema does not specify, as kube-apiserver does when it decodes a custom resource:
/// unknown fields go (except under <c>x-kubernetes-preserve-unknown-fields: true</c>), the resource root and
/// embedded resources keep <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>, unknown <c>metadata</c> fields are
/// dropped, and nulls the schema neither allows (<c>nullable</c>) nor defaults are removed.
/// </summary>
public static class StructuralPruning
{
    /// <summary>The fields of <c>ObjectMeta</c>; anything else under <c>metadata</c> is dropped.</summary>
    private static readonly FrozenSet<string> ObjectMetaFields = new[]
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Prunes <paramref name="obj"/> in place and returns the paths of the unknown fields it removed, sorted, in the
    /// form kube-apiserver reports for <c>fieldValidation=Strict|Warn</c> (<c>spec.foo</c>, <c>spec.items[0].bar</c>).
    /// </summary>
    /// <param name="isResourceRoot">True for a whole object (root treated as an embedded resource).</param>
    public static IReadOnlyList<string> Prune(JsonObject obj, JsonSchemaProps? schema, bool isResourceRoot = true)
    {
        var unknown = new List<string>();
        schema ??= new JsonSchemaProps();
        if (isResourceRoot && !schema.EmbeddedResource)
        {
            PruneObject(obj, schema, "", unknown, embedded: true);
        }
        else
        {
            PruneNode(obj, schema, "", unknown);
        }

        DropNullsWithoutDefaults(obj, schema);
        unknown.Sort(StringComparer.Ordinal);
        return unknown;
    }

    private static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static void PruneNode(JsonNode? node, JsonSchemaProps? s, string path, List<string> unknown)
    {
        if (s is { PreserveUnknownFields: true })
        {
            SkipPrune(node, s, path, unknown);
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                PruneObject(obj, s, path, unknown, s?.EmbeddedResource ?? false);
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    PruneNode(arr[i], s?.Items, path + "[" + i + "]", unknown);
                }

                break;
        }
    }

    private static void PruneObject(JsonObject obj, JsonSchemaProps? s, string path, List<string> unknown, bool embedded)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (embedded && IsKeptMetaField(key, value))
            {
                if (key == "metadata")
                {
                    PruneMetadata((JsonObject)value!, Child(path, key), unknown);
                }

                continue;
            }

            if (s?.Property(key) is { } prop)
            {
                PruneNode(value, prop, Child(path, key), unknown);
            }
            else if (s?.AdditionalProperties is { } additional)
            {
                PruneNode(value, additional, Child(path, key), unknown);
            }
            else if (s?.AdditionalPropertiesAllowed == true || s?.PreserveUnknownFields == true)
            {
                // additionalProperties: true keeps any value unchanged, and so does preserve-unknown-fields on a
                // resource root (nested nodes reach SkipPrune instead).
            }
            else
            {
                unknown.Add(Child(path, key));
                obj.Remove(key);
            }
        }
    }

    /// <summary>Under preserve-unknown-fields: unknown keys stay, specified ones are still pruned by their schema.</summary>
    private static void SkipPrune(JsonNode? node, JsonSchemaProps s, string path, List<string> unknown)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (s.EmbeddedResource && key is "apiVersion" or "kind" or "metadata")
                    {
                        if (key == "metadata" && value is JsonObject meta)
                        {
                            PruneMetadata(meta, Child(path, key), unknown);
                        }

                        continue;
                    }

                    if (s.Property(key) is { } prop)
                    {
                        PruneNode(value, prop, Child(path, key), unknown);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        PruneNode(value, additional, Child(path, key), unknown);
                    }
                }

                break;
            case JsonArray arr when s.Items is not null:
                for (var i = 0; i < arr.Count; i++)
                {
                    SkipPrune(arr[i], s.Items, path + "[" + i + "]", unknown);
                }

                break;
        }
    }

    private static bool IsKeptMetaField(string key, JsonNode? value) => key switch
    {
        "apiVersion" or "kind" => StructuralValues.AsString(value) is not null,
        "metadata" => value is JsonObject,
        _ => false,
    };

    private static void PruneMetadata(JsonObject meta, string path, List<string> unknown)
    {
        foreach (var key in meta.Select(p => p.Key).ToList())
        {
            if (!ObjectMetaFields.Contains(key))
            {
                unknown.Add(Child(path, key));
                meta.Remove(key);
            }
        }
    }

    /// <summary>Removes <c>null</c> values of non-nullable fields that have no default (they mean "unset").</summary>
    private static void DropNullsWithoutDefaults(JsonNode? node, JsonSchemaProps? s)
    {
        if (s is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var prop = s.Property(key) ?? s.AdditionalProperties;
                    if (prop is null)
                    {
                        continue;
                    }

                    if (value is null && !prop.Nullable && prop.Default is null)
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        DropNullsWithoutDefaults(value, prop);
                    }
                }

                break;
            case JsonArray arr:
                foreach (var item in arr)
                {
                    DropNullsWithoutDefaults(item, s.Items);
                }

                break;
        }
    }
}
