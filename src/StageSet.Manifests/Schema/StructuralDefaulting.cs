using System.Text.Json.Nodes;

namespace StageSet.Manifests.Schema;

/// <summary>
/// Applies <c>default:</c> values as kube-apiserver does for custom resources (on write and on read): a property's
/// default fills it in when it is absent (or null and not nullable) and its parent object exists; defaults apply
/// recursively, including inside values that were just defaulted, array items and additionalProperties values.
/// </summary>
public static class StructuralDefaulting
{
    public static void Apply(JsonNode? node, JsonSchemaProps? schema)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, prop) in schema.Properties ?? [])
                {
                    if (prop.Default is null)
                    {
                        continue;
                    }

                    if (!obj.TryGetPropertyValue(name, out var current) || IsNonNullableNull(current, prop))
                    {
                        obj[name] = prop.Default.DeepClone();
                    }
                }

                foreach (var (key, value) in obj.ToList())
                {
                    if (schema.Property(key) is { } prop)
                    {
                        Apply(value, prop);
                    }
                    else if (schema.AdditionalProperties is { } additional)
                    {
                        if (IsNonNullableNull(value, additional))
                        {
                            obj[key] = additional.Default!.DeepClone();
                        }

                        Apply(obj[key], additional);
                    }
                }

                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    if (IsNonNullableNull(arr[i], schema.Items))
                    {
                        arr[i] = schema.Items!.Default!.DeepClone();
                    }

                    Apply(arr[i], schema.Items);
                }

                break;
        }
    }

    private static bool IsNonNullableNull(JsonNode? value, JsonSchemaProps? s) =>
        value is null && s is { Nullable: false, Default: not null };
}
