namespace StageSet.Manifests.Schema;

/// <summary>
/// Decides whether a CRD version schema is <em>structural</em> the way kube-apiserver does before it serves a
/// <c>apiextensions.k8s.io/v1</c> CRD: every node typed (unless int-or-string or preserve-unknown-fields), arrays
/// have items, logic junctors (<c>allOf</c>/<c>anyOf</c>/<c>oneOf</c>/<c>not</c>) only validate values and never
/// introduce types, defaults, descriptions or fields, root <c>metadata</c> restricts at most <c>name</c> and
/// <c>generateName</c>, plus the list/map extension rules. Errors carry apiextensions' paths and wording.
/// </summary>
public static class StructuralSchemaCheck
{
    /// <summary>The path kube-apiserver reports for the first version's schema.</summary>
    public const string DefaultPath = "spec.versions[0].schema.openAPIV3Schema";

    private enum Level
    {
        Root,
        Item,
        Field,
    }

    /// <summary>All violations, sorted by message as kube-apiserver sorts them; empty when the schema is structural.</summary>
    public static IReadOnlyList<FieldError> Check(JsonSchemaProps schema, string fieldPath = DefaultPath)
    {
        var errors = new List<FieldError>();
        Invariants(schema, Level.Root, fieldPath, errors);
        // Only junctors at the root are compared against the structural part, as apiextensions does.
        Completeness(schema, schema, fieldPath, fieldPath, errors);
        errors.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return errors;
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string Key(string path, string key) => path + "[" + key + "]";

    private static string Index(string path, int i) => path + "[" + i + "]";

    private static void Invariants(JsonSchemaProps s, Level level, string path, List<FieldError> errors)
    {
        if (s.Ref is not null)
        {
            errors.Add(FieldError.Forbidden(Child(path, "$ref"), "$ref is not supported"));
        }

        if (s.Type == "array" && s.Items is null)
        {
            errors.Add(FieldError.Required(Child(path, "items"), "must be specified"));
        }

        if (s.Items is not null)
        {
            Invariants(s.Items, Level.Item, Child(path, "items"), errors);
        }

        foreach (var (name, prop) in s.Properties ?? [])
        {
            Invariants(prop, Level.Field, Key(Child(path, "properties"), name), errors);
        }

        if (s.AdditionalProperties is not null || s.AdditionalPropertiesAllowed is not null)
        {
            if (level == Level.Root)
            {
                errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "must not be used at the root"));
            }

            if (s.Properties is { Count: > 0 })
            {
                errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "additionalProperties and properties are mutual exclusive"));
            }

            if (s.AdditionalProperties is not null)
            {
                Invariants(s.AdditionalProperties, Level.Field, Child(path, "additionalProperties"), errors);
            }
        }

        Extensions(s, path, errors);
        JunctorsOf(s, SkipAnyOf(s), SkipFirstAllOfAnyOf(s), path, errors);

        var checkMetadata = level == Level.Root || s.EmbeddedResource;
        if (s.EmbeddedResource && s.Type != "object")
        {
            errors.Add(string.IsNullOrEmpty(s.Type)
                ? FieldError.Required(Child(path, "type"), "must be object if x-kubernetes-embedded-resource is true")
                : FieldError.Invalid(Child(path, "type"), FieldError.Quote(s.Type), "must be object if x-kubernetes-embedded-resource is true"));
        }
        else if (string.IsNullOrEmpty(s.Type) && !s.IntOrString && !s.PreserveUnknownFields)
        {
            errors.Add(FieldError.Required(Child(path, "type"), level switch
            {
                Level.Root => "must not be empty at the root",
                Level.Item => "must not be empty for specified array items",
                _ => "must not be empty for specified object fields",
            }));
        }

        if (s.EmbeddedResource && (s.AdditionalProperties is not null || s.AdditionalPropertiesAllowed is not null))
        {
            errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"));
        }

        if (level == Level.Root && !string.IsNullOrEmpty(s.Type) && s.Type != "object")
        {
            errors.Add(FieldError.Invalid(Child(path, "type"), FieldError.Quote(s.Type), "must be object at the root"));
        }

        if (checkMetadata)
        {
            MetaTypes(s, path, errors);
        }

        if (level == Level.Root && s.Property("metadata") is { } metadata && !IsPlainRootMetadata(metadata))
        {
            errors.Add(FieldError.Forbidden(Key(Child(path, "properties"), "metadata"),
                "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }

        if (s.EmbeddedResource && !s.PreserveUnknownFields && s.Properties is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(Child(path, "properties"),
                "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }

        ListAndMapTypes(s, path, errors);
    }

    private static void MetaTypes(JsonSchemaProps s, string path, List<FieldError> errors)
    {
        var props = Child(path, "properties");
        if (s.Property("kind") is { } kind && kind.Type != "string")
        {
            errors.Add(FieldError.Invalid(Child(Key(props, "kind"), "type"), FieldError.Quote(kind.Type ?? ""), "must be string"));
        }

        if (s.Property("apiVersion") is { } apiVersion && apiVersion.Type != "string")
        {
            errors.Add(FieldError.Invalid(Child(Key(props, "apiVersion"), "type"), FieldError.Quote(apiVersion.Type ?? ""), "must be string"));
        }

        if (s.Property("metadata") is { } metadata && metadata.Type != "object")
        {
            errors.Add(FieldError.Invalid(Child(Key(props, "metadata"), "type"), FieldError.Quote(metadata.Type ?? ""), "must be object"));
        }
    }

    /// <summary>Root metadata may be typed and may constrain <c>name</c>/<c>generateName</c>; nothing else.</summary>
    private static bool IsPlainRootMetadata(JsonSchemaProps m)
    {
        var props = m.Properties ?? [];
        var onlyNames = props.All(p => p.Key is "name" or "generateName");
        return (props.Count == 0 || onlyNames) && m.Ref is null && m.Format is null && m.Title is null &&
            m.Description is null && m.Enum is null && m.Items is null && m.AdditionalProperties is null &&
            m.AdditionalPropertiesAllowed is null && m.Required is null && m.Minimum is null && m.Maximum is null &&
            !m.ExclusiveMinimum && !m.ExclusiveMaximum && m.MultipleOf is null && m.MinLength is null &&
            m.MaxLength is null && m.MinItems is null && m.MaxItems is null && m.MinProperties is null &&
            m.MaxProperties is null && m.Pattern is null && !m.UniqueItems && !m.Nullable && m.AllOf is null &&
            m.AnyOf is null && m.OneOf is null && m.Not is null && !m.PreserveUnknownFields && !m.IntOrString &&
            !m.EmbeddedResource && m.ListType is null && m.ListMapKeys is null && m.MapType is null &&
            m.Validations is null;
    }

    private static void Extensions(JsonSchemaProps s, string path, List<FieldError> errors)
    {
        if (s.IntOrString && s.PreserveUnknownFields)
        {
            errors.Add(FieldError.Invalid(Child(path, "x-kubernetes-preserve-unknown-fields"), "true", "must be false if x-kubernetes-int-or-string is true"));
        }

        if (s.IntOrString && s.EmbeddedResource)
        {
            errors.Add(FieldError.Invalid(Child(path, "x-kubernetes-embedded-resource"), "true", "must be false if x-kubernetes-int-or-string is true"));
        }
    }

    /// <summary>The <c>x-kubernetes-list-type</c>/<c>-list-map-keys</c>/<c>-map-type</c> rules of CRD validation.</summary>
    private static void ListAndMapTypes(JsonSchemaProps s, string path, List<FieldError> errors)
    {
        if (s.MapType is { } mapType)
        {
            if (s.Type != "object")
            {
                errors.Add(string.IsNullOrEmpty(s.Type)
                    ? FieldError.Required(Child(path, "type"), "must be object if x-kubernetes-map-type is specified")
                    : FieldError.Invalid(Child(path, "type"), FieldError.Quote(s.Type), "must be object if x-kubernetes-map-type is specified"));
            }

            if (mapType is not ("atomic" or "granular"))
            {
                errors.Add(FieldError.NotSupported(Child(path, "x-kubernetes-map-type"), FieldError.Quote(mapType), ["atomic", "granular"]));
            }
        }

        if (s.ListType is { } listType)
        {
            if (s.Type != "array")
            {
                errors.Add(string.IsNullOrEmpty(s.Type)
                    ? FieldError.Required(Child(path, "type"), "must be array if x-kubernetes-list-type is specified")
                    : FieldError.Invalid(Child(path, "type"), FieldError.Quote(s.Type), "must be array if x-kubernetes-list-type is specified"));
            }

            if (listType is not ("atomic" or "set" or "map"))
            {
                errors.Add(FieldError.NotSupported(Child(path, "x-kubernetes-list-type"), FieldError.Quote(listType), ["atomic", "set", "map"]));
            }

            if (listType == "map")
            {
                ListMap(s, path, errors);
            }
        }

        if (s.ListMapKeys is { Count: > 0 } && s.ListType != "map")
        {
            errors.Add(s.ListType is null
                ? FieldError.Required(Child(path, "x-kubernetes-list-type"), "must be map if x-kubernetes-list-map-keys is non-empty")
                : FieldError.Invalid(Child(path, "x-kubernetes-list-type"), FieldError.Quote(s.ListType), "must be map if x-kubernetes-list-map-keys is non-empty"));
        }
    }

    private static void ListMap(JsonSchemaProps s, string path, List<FieldError> errors)
    {
        if (s.ListMapKeys is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(Child(path, "x-kubernetes-list-map-keys"), "must not be empty if x-kubernetes-list-type is map"));
        }

        if (s.Items is null)
        {
            errors.Add(FieldError.Required(Child(path, "items"), "must have a schema if x-kubernetes-list-type is map"));
            return;
        }

        if (s.Items.Type != "object")
        {
            errors.Add(FieldError.Invalid(Child(Child(path, "items"), "type"), FieldError.Quote(s.Items.Type ?? ""), "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }

        var keys = s.ListMapKeys ?? [];
        var rendered = "[]string{" + string.Join(", ", keys.Select(FieldError.Quote)) + "}";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (s.Items.Property(key) is { } keySchema)
            {
                if (keySchema.Type is "array" or "object")
                {
                    errors.Add(FieldError.Invalid(Child(Key(Child(Child(path, "items"), "properties"), key), "type"), FieldError.Quote(s.Items.Type),
                        "must be a scalar type if parent array's x-kubernetes-list-type is map"));
                }
            }
            else
            {
                errors.Add(FieldError.Invalid(Child(path, "x-kubernetes-list-map-keys"), rendered, "entries must all be names of item properties"));
            }

            if (!seen.Add(key))
            {
                errors.Add(FieldError.Invalid(Child(path, "x-kubernetes-list-map-keys"), rendered, "must not contain duplicate entries"));
            }
        }
    }

    private static bool IsIntOrStringPair(IReadOnlyList<JsonSchemaProps>? list) =>
        list is [{ } a, { } b] && IsBareType(a, "integer") && IsBareType(b, "string");

    private static bool IsBareType(JsonSchemaProps s, string type) =>
        s.Type == type && s.Properties is null && s.Items is null && s.AllOf is null && s.AnyOf is null &&
        s.OneOf is null && s.Not is null && s.Description is null && s.Format is null && s.Enum is null;

    private static bool SkipAnyOf(JsonSchemaProps s) => IsIntOrStringPair(s.AnyOf);

    private static bool SkipFirstAllOfAnyOf(JsonSchemaProps s) => s.AllOf is [{ } first, ..] && IsIntOrStringPair(first.AnyOf);

    /// <summary>Checks the junctors of one node; the int-or-string patterns may carry their bare types.</summary>
    private static void JunctorsOf(JsonSchemaProps v, bool skipAnyOf, bool skipFirstAllOfAnyOf, string path, List<FieldError> errors)
    {
        if (!skipAnyOf)
        {
            for (var i = 0; i < (v.AnyOf?.Count ?? 0); i++)
            {
                Nested(v.AnyOf![i], false, Index(Child(path, "anyOf"), i), errors);
            }
        }

        for (var i = 0; i < (v.AllOf?.Count ?? 0); i++)
        {
            Nested(v.AllOf![i], skipFirstAllOfAnyOf && i == 0, Index(Child(path, "allOf"), i), errors);
        }

        for (var i = 0; i < (v.OneOf?.Count ?? 0); i++)
        {
            Nested(v.OneOf![i], false, Index(Child(path, "oneOf"), i), errors);
        }

        if (v.Not is not null)
        {
            Nested(v.Not, false, Child(path, "not"), errors);
        }

        if (v.Pattern is { Length: > 0 } pattern && StructuralPatterns.Error(pattern) is { } message)
        {
            errors.Add(FieldError.Invalid(Child(path, "pattern"), FieldError.Quote(pattern), "must be a valid regular expression, but isn't: " + message));
        }
    }

    /// <summary>A schema under a junctor: value validation only.</summary>
    private static void Nested(JsonSchemaProps v, bool skipAnyOf, string path, List<FieldError> errors)
    {
        JunctorsOf(v, skipAnyOf, false, path, errors);
        if (v.Items is not null)
        {
            Nested(v.Items, false, Child(path, "items"), errors);
        }

        foreach (var (name, prop) in v.Properties ?? [])
        {
            Nested(prop, false, Key(Child(path, "properties"), name), errors);
        }

        if (!string.IsNullOrEmpty(v.Type))
        {
            errors.Add(FieldError.Forbidden(Child(path, "type"), "must be empty to be structural"));
        }

        if (v.AdditionalProperties is not null || v.AdditionalPropertiesAllowed is not null)
        {
            errors.Add(FieldError.Forbidden(Child(path, "additionalProperties"), "must be undefined to be structural"));
        }

        if (v.Default is not null)
        {
            errors.Add(FieldError.Forbidden(Child(path, "default"), "must be undefined to be structural"));
        }

        if (!string.IsNullOrEmpty(v.Title))
        {
            errors.Add(FieldError.Forbidden(Child(path, "title"), "must be empty to be structural"));
        }

        if (!string.IsNullOrEmpty(v.Description))
        {
            errors.Add(FieldError.Forbidden(Child(path, "description"), "must be empty to be structural"));
        }

        if (v.Nullable)
        {
            errors.Add(FieldError.Forbidden(Child(path, "nullable"), "must be false to be structural"));
        }

        if (v.PreserveUnknownFields)
        {
            errors.Add(FieldError.Forbidden(Child(path, "x-kubernetes-preserve-unknown-fields"), "must be false to be structural"));
        }

        if (v.EmbeddedResource)
        {
            errors.Add(FieldError.Forbidden(Child(path, "x-kubernetes-embedded-resource"), "must be false to be structural"));
        }

        if (v.IntOrString)
        {
            errors.Add(FieldError.Forbidden(Child(path, "x-kubernetes-int-or-string"), "must be false to be structural"));
        }

        if (v.ListMapKeys is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(Child(path, "x-kubernetes-list-map-keys"), "must be empty to be structural"));
        }

        if (v.ListType is not null)
        {
            errors.Add(FieldError.Forbidden(Child(path, "x-kubernetes-list-type"), "must be undefined to be structural"));
        }

        if (v.Property("metadata") is not null)
        {
            errors.Add(FieldError.Forbidden(Key(Child(path, "properties"), "metadata"), "must not be specified in a nested context"));
        }
    }

    /// <summary>Every field or array a junctor constrains must also exist in the structural part of the schema.</summary>
    private static void Completeness(JsonSchemaProps v, JsonSchemaProps? s, string sPath, string vPath, List<FieldError> errors)
    {
        void Each(IReadOnlyList<JsonSchemaProps>? list, string name)
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                NestedCompleteness(list![i], s, sPath, Index(Child(vPath, name), i), errors);
            }
        }

        if (v.Not is not null)
        {
            NestedCompleteness(v.Not, s, sPath, Child(vPath, "not"), errors);
        }

        Each(v.AllOf, "allOf");
        Each(v.AnyOf, "anyOf");
        Each(v.OneOf, "oneOf");
    }

    private static void NestedCompleteness(JsonSchemaProps v, JsonSchemaProps? s, string sPath, string vPath, List<FieldError> errors)
    {
        if (s is null)
        {
            errors.Add(FieldError.Required(sPath, "because it is defined in " + vPath));
            return;
        }

        Completeness(v, s, sPath, vPath, errors);
        if (v.Items is not null)
        {
            NestedCompleteness(v.Items, s.Items, Child(sPath, "items"), Child(vPath, "items"), errors);
        }

        foreach (var (name, prop) in v.Properties ?? [])
        {
            var sProp = s.Property(name);
            if (sProp is null)
            {
                errors.Add(FieldError.Required(Key(Child(sPath, "properties"), name),
                    "because it is defined in " + Key(Child(vPath, "properties"), name)));
            }
            else
            {
                NestedCompleteness(prop, sProp, Key(Child(sPath, "properties"), name), Key(Child(vPath, "properties"), name), errors);
            }
        }
    }
}
