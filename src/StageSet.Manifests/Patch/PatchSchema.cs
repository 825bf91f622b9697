using StageSet.Manifests.Schema;

namespace StageSet.Manifests.Patch;

/// <summary>What a schema says about how one field merges, with <c>$ref</c>s already followed.</summary>
/// <param name="Value">Schema of the field's value (of the list items, for lists).</param>
/// <param name="Strategy">The patch strategy without <c>retainKeys</c>: <c>merge</c>, <c>replace</c> or empty.</param>
/// <param name="RetainKeys">Whether <c>retainKeys</c> was among the strategies.</param>
/// <param name="MergeKey">The patch merge key of a list of maps, empty otherwise.</param>
/// <param name="Known">False when the schema lists its fields and this is not one of them.</param>
/// <param name="MapKeys">The <c>x-kubernetes-list-map-keys</c>, empty when the schema gives none.</param>
internal readonly record struct PatchField(PatchSchema Value, string Strategy, bool RetainKeys, string MergeKey, bool Known = true, IReadOnlyList<string>? MapKeys = null)
{
    /// <summary>kyaml's key list: the list-map keys when declared, else the patch merge key.</summary>
    public IReadOnlyList<string> Keys => MapKeys is { Count: > 0 } keys ? keys : MergeKey.Length > 0 ? [MergeKey] : [];
}

/// <summary>
/// A position in a schema as strategic merge patch walks it. Unknown fields and schema-less documents get an
/// empty schema: maps still merge, lists are replaced.
/// </summary>
internal readonly struct PatchSchema
{
    private readonly JsonSchemaProps? _schema;
    private readonly SchemaSet _schemas;

    public PatchSchema(JsonSchemaProps? schema, SchemaSet? schemas)
    {
        _schemas = schemas ?? SchemaSet.Empty;
        _schema = schema is null ? null : _schemas.Resolve(schema);
    }

    public static PatchSchema None => new(null, null);

    public JsonSchemaProps? Schema => _schema;

    /// <exception cref="StrategicMergePatchException">The strategy list is not one the API allows.</exception>
    public PatchField Field(string name)
    {
        var property = _schema?.Property(name) ?? _schema?.AdditionalProperties;
        if (property is null)
        {
            var known = _schema?.Properties is null || _schema.PreserveUnknownFields || _schema.AdditionalPropertiesAllowed == true;
            return new PatchField(None, "", false, "", known);
        }

        var resolved = _schemas.Resolve(property);
        var (retainKeys, strategy) = SplitStrategy(resolved.PatchStrategy);
        var value = resolved.Items is { } items ? new PatchSchema(items, _schemas) : new PatchSchema(resolved, _schemas);
        return new PatchField(value, strategy, retainKeys, resolved.PatchMergeKey ?? "", MapKeys: resolved.ListMapKeys);
    }

    private static (bool RetainKeys, string Strategy) SplitStrategy(string? strategies)
    {
        if (string.IsNullOrEmpty(strategies))
        {
            return (false, "");
        }

        var parts = strategies.Split(',');
        return parts switch
        {
            [var one] => one == StrategicMergePatch.RetainKeysStrategy ? (true, "") : (false, one),
            [var a, var b] when a == StrategicMergePatch.RetainKeysStrategy || b == StrategicMergePatch.RetainKeysStrategy =>
                (true, a == StrategicMergePatch.RetainKeysStrategy ? b : a),
            _ => throw new StrategicMergePatchException($"unexpected patch strategy: {strategies}"),
        };
    }
}
