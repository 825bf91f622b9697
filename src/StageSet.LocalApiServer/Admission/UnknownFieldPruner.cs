using System.Text.Json.Nodes;
using StageSet.LocalApiServer.FieldManagement;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Admission;

/// <summary>
/// What decoding into Go types does to fields a built-in kind does not declare: they are dropped. Returns their paths
/// as Go's strict decoder names them (<c>spec.foo</c>, <c>spec.template.spec.containers[0].bar</c>) for
/// <c>fieldValidation</c> Strict (400) and Warn (299 warning) messages.
/// </summary>
internal sealed class UnknownFieldPruner(SchemaSet schemas)
{
    public List<string> Prune(JsonObject obj, JsonSchemaProps root)
    {
        var unknown = new List<string>();
        var resolved = schemas.Resolve(root);
        var declared = resolved.Properties?.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var (key, value) in obj.ToList())
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata")
            {
                var own = resolved.Property("metadata") is { } m ? schemas.Resolve(m) : null;
                Visit(value, own?.Property("labels") is not null ? own : ObjectMetaSchema.Props, key, unknown);
                continue;
            }

            if (!declared.Contains(key))
            {
                obj.Remove(key);
                unknown.Add(key);
                continue;
            }

            Visit(value, resolved.Property(key)!, key, unknown);
        }

        return unknown;
    }

    private void Visit(JsonNode? value, JsonSchemaProps schema, string path, List<string> unknown)
    {
        var s = schemas.Resolve(schema);
        if (s.PreserveUnknownFields || s.IntOrString)
        {
            return;
        }

        switch (value)
        {
            case JsonObject obj when s.Properties is not null:
                foreach (var (key, child) in obj.ToList())
                {
                    var property = s.Property(key);
                    if (property is not null)
                    {
                        Visit(child, property, path + "." + key, unknown);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        Visit(child, additional, path + "." + key, unknown);
                    }
                    else if (s.AdditionalPropertiesAllowed != true)
                    {
                        obj.Remove(key);
                        unknown.Add(path + "." + key);
                    }
                }

                break;
            case JsonObject obj when s.AdditionalProperties is { } additional:
                foreach (var (key, child) in obj.ToList())
                {
                    Visit(child, additional, path + "." + key, unknown);
                }

                break;
            case JsonArray arr when s.Items is { } items:
                for (var i = 0; i < arr.Count; i++)
                {
                    Visit(arr[i], items, $"{path}[{i}]", unknown);
                }

                break;
        }
    }
}
