using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Crds;

/// <summary>A CustomResourceDefinition read for serving: names, scope, versions with their schemas and subresources.</summary>
internal sealed record CrdDefinition(
    string Name,
    string Group,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<CrdVersion> Versions)
{
    public string StorageVersion => Versions.FirstOrDefault(v => v.Storage)?.Name ?? Versions.FirstOrDefault()?.Name ?? "";

    public static CrdDefinition Read(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var versions = new List<CrdVersion>();
        if (spec["versions"] is JsonArray vs)
        {
            foreach (var v in vs.OfType<JsonObject>())
            {
                var sub = v["subresources"] as JsonObject;
                var scale = sub?["scale"] as JsonObject;
                versions.Add(new CrdVersion(
                    Str(v, "name"),
                    v["served"] is JsonValue s && s.TryGetValue<bool>(out var served) && served,
                    v["storage"] is JsonValue st && st.TryGetValue<bool>(out var storage) && storage,
                    v["schema"]?["openAPIV3Schema"] is JsonObject schema ? JsonSchemaProps.Parse(schema) : null,
                    sub?["status"] is not null,
                    scale is null ? null : new ScaleSubresource(Str(scale, "specReplicasPath"), Str(scale, "statusReplicasPath"),
                        scale["labelSelectorPath"] is JsonValue l ? (string?)l : null),
                    v["additionalPrinterColumns"] is JsonArray cols
                        ? cols.OfType<JsonObject>().Select(c => new PrinterColumn(Str(c, "name"), Str(c, "type"), Str(c, "format"),
                            Str(c, "description"), c["priority"] is JsonValue p && p.TryGetValue<int>(out var pr) ? pr : 0, Str(c, "jsonPath"))).ToList()
                        : []));
            }
        }

        var kind = Str(names, "kind");
        return new CrdDefinition(
            KubeObject.Name(crd),
            Str(spec, "group"),
            Str(names, "plural"),
            Str(names, "singular") is { Length: > 0 } singular ? singular : kind.ToLowerInvariant(),
            kind,
            Str(spec, "scope") != "Cluster",
            Strings(names, "shortNames"),
            Strings(names, "categories"),
            versions);
    }

    /// <summary>The resources to serve: one per served version, all sharing the storage version's store.</summary>
    public IReadOnlyList<ResourceType> Resources() =>
        Versions.Where(v => v.Served).Select(v => new ResourceType
        {
            Group = Group,
            Version = v.Name,
            Resource = Plural,
            Kind = Kind,
            SingularName = Singular,
            Namespaced = Namespaced,
            ShortNames = ShortNames,
            Categories = Categories,
            Subresources = [.. v.Status ? ["status"] : Array.Empty<string>(), .. v.Scale is not null ? ["scale"] : Array.Empty<string>()],
            Generation = GenerationRule.AllButMetadata,
            Custom = new CustomResourceInfo(Name, v.Schema, v.Scale, v.PrinterColumns, StorageVersion),
        }).ToList();

    /// <summary>The 422 checks of apiextensions validation that matter to clients (api-server.md §2.1).</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        else if (!Group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.group", FieldError.Quote(Group), "should be a domain with at least one dot"));
        }

        if (Plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        else if (Plural != Plural.ToLowerInvariant())
        {
            errors.Add(FieldError.Invalid("spec.names.plural", FieldError.Quote(Plural), "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        }

        if (Kind.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }

        if (Name != Plural + "." + Group)
        {
            errors.Add(FieldError.Invalid("metadata.name", FieldError.Quote(Name), "must be spec.names.plural+\".\"+spec.group"));
        }

        if (Versions.Count(v => v.Storage) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", "[]apiextensions.CustomResourceDefinitionVersion{…}", "must have exactly one version marked as storage version"));
        }

        for (var i = 0; i < Versions.Count; i++)
        {
            var v = Versions[i];
            var path = $"spec.versions[{i}].schema.openAPIV3Schema";
            if (v.Schema is null)
            {
                errors.Add(FieldError.Required(path, "schemas are required"));
                continue;
            }

            StructuralSchema.Create(v.Schema, out var violations, path);
            errors.AddRange(violations);
        }

        return errors;
    }

    private static string Str(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static List<string> Strings(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").Where(s => s.Length > 0).ToList() : [];
}

internal sealed record CrdVersion(
    string Name, bool Served, bool Storage, JsonSchemaProps? Schema, bool Status, ScaleSubresource? Scale, IReadOnlyList<PrinterColumn> PrinterColumns);
