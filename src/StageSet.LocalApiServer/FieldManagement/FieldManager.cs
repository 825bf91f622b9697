using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Admission;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>A server-side apply (PATCH with <c>application/apply-patch+yaml</c>).</summary>
/// <param name="Subresource"><c>""</c> for the main resource or <c>"status"</c>.</param>
public sealed record ApplyRequest(string Manager, bool Force, string Subresource, DateTimeOffset Now)
{
    /// <summary>The kind and version of the endpoint; default: taken from the configuration (no version check).</summary>
    public GroupVersionKind Kind { get; init; }

    /// <summary>Whether <c>status</c> is a subresource (all built-ins that have status; CRDs that declare it).</summary>
    public bool StatusIsSubresource { get; init; } = true;

    /// <summary>When set, the merged object is defaulted (§9.1) before it is returned; else the caller defaults it.</summary>
    public IAllocationContext? Allocation { get; init; }
}

/// <summary>A non-apply write (POST, PUT, JSON/merge/strategic patch) by <paramref name="Manager"/>.</summary>
public sealed record UpdateRequest(string Manager, string ApiVersion, string Subresource, DateTimeOffset Now)
{
    /// <inheritdoc cref="ApplyRequest.StatusIsSubresource"/>
    public bool StatusIsSubresource { get; init; } = true;
}

/// <summary>
/// Server-side apply and managedFields bookkeeping (api-server.md §6), pure over <see cref="JsonObject"/> and schemas.
/// Follows kube-apiserver's field manager: merge by schema, removal of fields the applier dropped, conflicts with
/// other owners, Update tracking for every other write, <c>before-first-apply</c>, and the cap of ten Update entries.
/// The caller applies object semantics (uid, resourceVersion, generation, status isolation) and no-op detection.
/// </summary>
public sealed class FieldManager(ITypeSchemaProvider schemas, IObjectDefaulter defaulter)
{
    public const string BeforeFirstApplyManager = "before-first-apply";

    /// <summary>The manager whose applies migrate client-side apply state (api-server.md §6.2 step 8).</summary>
    public const string KubectlManager = "kubectl";

    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>Fields never tracked in managedFields (kube-apiserver's strip set; <c>metadata</c> only as itself).</summary>
    private static readonly FieldSet StrippedFields = FieldSet.Of(
        FieldPath.Fields("apiVersion"),
        FieldPath.Fields("kind"),
        FieldPath.Fields("metadata"),
        FieldPath.Fields("metadata.name"),
        FieldPath.Fields("metadata.namespace"),
        FieldPath.Fields("metadata.creationTimestamp"),
        FieldPath.Fields("metadata.selfLink"),
        FieldPath.Fields("metadata.uid"),
        FieldPath.Fields("metadata.clusterName"),
        FieldPath.Fields("metadata.generation"),
        FieldPath.Fields("metadata.managedFields"),
        FieldPath.Fields("metadata.resourceVersion"));

    private static readonly PathElement Status = PathElement.Field("status");

    private readonly ITypeSchemaProvider _schemas = schemas;
    private readonly IObjectDefaulter _defaulter = defaulter;

    /// <summary>
    /// Applies <paramref name="config"/> for <see cref="ApplyRequest.Manager"/>; <paramref name="live"/> null creates.
    /// Returns the merged object with <c>metadata.managedFields</c>; inputs are not modified.
    /// </summary>
    /// <exception cref="ApplyConflictException">Another manager owns a field whose value would change (and not forced).</exception>
    /// <exception cref="InvalidApplyException">Version mismatch, managedFields in the configuration, or a configuration that does not fit the schema.</exception>
    public JsonObject Apply(JsonObject? live, JsonObject config, ApplyRequest request)
    {
        var gvk = request.Kind == default ? KubeObject.Gvk(config) : request.Kind;
        var configVersion = KubeObject.ApiVersion(config);
        if (configVersion != gvk.ApiVersion)
        {
            throw InvalidApplyException.BadRequest(
                $"Incorrect version specified in apply patch. Specified patch version: {configVersion}, expected: {gvk.ApiVersion}");
        }

        if (KubeObject.Metadata(config)?["managedFields"] is not null)
        {
            throw InvalidApplyException.BadRequest("metadata.managedFields must be nil");
        }

        var root = new ShapeFactory(_schemas.Schemas).Root(_schemas.GetSchema(gvk));
        var (configSet, errors) = FieldSetExtractor.Strict(config, root);
        if (errors.Count > 0)
        {
            throw InvalidApplyException.Internal(
                $"failed to create typed patch object ({KubeObject.Namespace(config)}/{KubeObject.Name(config)}; {GoKind(KubeObject.Gvk(config))}): {Join(errors)}");
        }

        var scope = new Scope(root, ZeroValues.For(gvk), ResetFilter(request.Subresource, request.StatusIsSubresource));
        var (result, conflicts) = ApplyOnce(live, config, configSet, request, gvk, scope, request.Force);
        if (conflicts.Count > 0)
        {
            // kubectl's client- to server-side migration: fields its last client-side apply set never conflict.
            var allowed = request.Manager == KubectlManager ? LastAppliedFields(live, root) : null;
            var remaining = allowed is null
                ? conflicts
                : conflicts.Select(c => (c.Manager, Fields: c.Fields.Difference(allowed))).Where(c => !c.Fields.IsEmpty).ToList();
            if (remaining.Count > 0)
            {
                throw ConflictError(remaining);
            }

            (result, _) = ApplyOnce(live, config, configSet, request, gvk, scope, force: true);
        }

        if (request.Manager == KubectlManager && KubeObject.Annotation(result!, LastAppliedAnnotation) is not null)
        {
            var lastApplied = (JsonObject)config.DeepClone();
            (KubeObject.Metadata(lastApplied)?["annotations"] as JsonObject)?.Remove(LastAppliedAnnotation);
            KubeObject.SetAnnotation(result!, LastAppliedAnnotation, GoJson.Write(lastApplied) + "\n");
        }

        return result!;
    }

    private (JsonObject? Result, List<(ManagerKey Manager, FieldSet Fields)> Conflicts) ApplyOnce(
        JsonObject? live, JsonObject config, FieldSet configSet, ApplyRequest request, GroupVersionKind gvk, Scope scope, bool force)
    {
        var state = DecodeStored(live);
        var baseObject = live is null ? new JsonObject() : WithoutManagedFields(live);
        if (live is not null && state.Entries.Count == 0)
        {
            var key = ManagerKey.Update(BeforeFirstApplyManager, gvk.ApiVersion, request.Subresource);
            TrackUpdate(state, null, baseObject, key, gvk.ApiVersion, request.Now, scope);
        }

        var applyKey = ManagerKey.Apply(request.Manager, request.Subresource);
        var previous = state.Entries.GetValueOrDefault(applyKey);
        state.Entries[applyKey] = new ManagedEntry(scope.Filter(configSet), gvk.ApiVersion, previous?.Time);

        var merged = StructuredMerger.Merge(baseObject, config, scope.Root);
        merged = Prune(merged, state, previous?.Set, scope.Root);

        var comparison = scope.Compare(baseObject, merged);
        var conflicts = Conflicts(state, applyKey, comparison);
        if (conflicts.Count > 0 && !force)
        {
            return (null, conflicts);
        }

        TakeOver(state, applyKey, comparison);
        var changed = !JsonNode.DeepEquals(baseObject, merged);
        var result = changed ? merged : baseObject;
        var entry = state.Entries[applyKey];
        state.Entries[applyKey] = entry with
        {
            Set = entry.Set.Difference(StrippedFields),
            Time = changed || entry.Time is null ? request.Now : entry.Time,
        };
        state.RemoveEmpty();
        state.CapUpdateManagers();
        if (changed && request.Allocation is { } allocation)
        {
            _defaulter.Default(result, gvk, allocation);
        }

        SetManagedFields(result, state);
        return (result, []);
    }

    /// <summary>The fields of the object's <c>kubectl.kubernetes.io/last-applied-configuration</c>, if it has a readable one.</summary>
    private static FieldSet? LastAppliedFields(JsonObject? live, MapShape root)
    {
        if (live is null || KubeObject.Annotation(live, LastAppliedAnnotation) is not { Length: > 0 } text)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject lastApplied ? FieldSetExtractor.Lenient(lastApplied, root) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Records a non-apply write: the manager gains every field it added or changed, which leave all other managers;
    /// removed fields leave every manager. A valid managedFields list in <paramref name="updated"/> replaces the stored
    /// one, <c>[]</c> or <c>[{}]</c> clears it, absent or undecodable keeps it (ignored on subresources).
    /// Returns a copy of <paramref name="updated"/> with the new <c>metadata.managedFields</c>.
    /// </summary>
    public JsonObject RecordUpdate(JsonObject? live, JsonObject updated, UpdateRequest request)
    {
        var gvk = GroupVersionKind.From(request.ApiVersion, KubeObject.Kind(updated));
        var root = new ShapeFactory(_schemas.Schemas).Root(_schemas.GetSchema(gvk));
        var state = DecodeLiveOrNew(live, updated, request.Subresource.Length > 0);
        var result = WithoutManagedFields(updated);
        var scope = new Scope(root, ZeroValues.For(gvk), ResetFilter(request.Subresource, request.StatusIsSubresource));
        var key = ManagerKey.Update(request.Manager, request.ApiVersion, request.Subresource);
        TrackUpdate(state, live is null ? null : WithoutManagedFields(live), result, key, request.ApiVersion, request.Now, scope);
        state.CapUpdateManagers();
        SetManagedFields(result, state);
        return result;
    }

    /// <summary>The schema view, zero value and reset-field filter of one request.</summary>
    private sealed record Scope(MapShape Root, JsonObject Zero, Func<FieldSet, FieldSet> Filter)
    {
        /// <summary>Compares as typed objects do (zero-value structure present on both sides), reset fields ignored.</summary>
        public Comparison Compare(JsonObject? before, JsonObject after) =>
            ObjectComparer.Compare(ZeroValues.Overlay(Zero, before), ZeroValues.Overlay(Zero, after), Root).Filter(Filter);
    }

    private static void TrackUpdate(
        ManagedFieldsState state, JsonObject? before, JsonObject after, ManagerKey key, string apiVersion, DateTimeOffset now, Scope scope)
    {
        var comparison = scope.Compare(before, after);
        var changed = comparison.Changed;
        foreach (var (manager, entry) in state.Entries.ToList())
        {
            state.Entries[manager] = entry with { Set = entry.Set.Difference(changed).Difference(comparison.Removed) };
        }

        var gained = changed.Difference(StrippedFields);
        if (!gained.IsEmpty)
        {
            var previous = state.Entries.GetValueOrDefault(key)?.Set ?? new FieldSet();
            state.Entries[key] = new ManagedEntry(gained.Union(previous), apiVersion, now);
        }

        state.RemoveEmpty();
    }

    /// <summary>
    /// Removes what the applier owned last time and no longer applies, unless some manager (including the applier's
    /// new configuration) owns it or something below it; fields nobody owned stay.
    /// </summary>
    private static JsonObject Prune(JsonObject merged, ManagedFieldsState state, FieldSet? lastSet, MapShape root)
    {
        if (lastSet is null || lastSet.IsEmpty)
        {
            return merged;
        }

        var last = ItemRemover.EnsureNamedFieldsAreMembers(lastSet, root);
        var pruned = ItemRemover.Remove(merged, last, root);

        var managed = state.Entries.Values.Aggregate(new FieldSet(), (acc, e) => acc.Union(e.Set));
        var mergedSet = Named(FieldSetExtractor.Lenient(merged, root), root);
        var keep = Named(FieldSetExtractor.Lenient(pruned, root), root).Union(ItemRemover.EnsureNamedFieldsAreMembers(managed, root));
        pruned = ItemRemover.Remove(merged, mergedSet.Difference(keep), root);

        var removedSoFar = mergedSet.Difference(Named(FieldSetExtractor.Lenient(pruned, root), root));
        return ItemRemover.Remove(merged, removedSoFar.Intersection(last), root);

        static FieldSet Named(FieldSet set, MapShape shape) => ItemRemover.EnsureNamedFieldsAreMembers(set, shape);
    }

    /// <summary>Fields other managers own whose values this apply changes.</summary>
    private static List<(ManagerKey Manager, FieldSet Fields)> Conflicts(ManagedFieldsState state, ManagerKey applier, Comparison comparison)
    {
        var changed = comparison.Changed;
        var conflicts = new List<(ManagerKey Manager, FieldSet Fields)>();
        foreach (var (manager, entry) in state.Entries)
        {
            var overlap = entry.Set.Intersection(changed);
            if (manager != applier && !overlap.IsEmpty)
            {
                conflicts.Add((manager, overlap));
            }
        }

        return conflicts;
    }

    /// <summary>Changed fields leave the other managers (forced or unowned); removed fields leave everyone.</summary>
    private static void TakeOver(ManagedFieldsState state, ManagerKey applier, Comparison comparison)
    {
        var changed = comparison.Changed;
        foreach (var (manager, entry) in state.Entries.ToList())
        {
            if (manager != applier)
            {
                state.Entries[manager] = entry with { Set = entry.Set.Difference(changed).Difference(comparison.Removed) };
            }
        }
    }

    private static ApplyConflictException ConflictError(List<(ManagerKey Manager, FieldSet Fields)> conflicts)
    {
        var ordered = conflicts
            .OrderBy(c => c.Manager.Identifier, StringComparer.Ordinal)
            .SelectMany(c => c.Fields.Paths().Select(p => new ApplyConflict(c.Manager.Printed, p.ToString())))
            .ToList();
        string message;
        if (ordered.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {ordered[0].Manager}: {ordered[0].Field}";
        }
        else
        {
            var lines = ordered.GroupBy(c => c.Manager)
                .SelectMany(g => g.Select(c => "- " + c.Field).Prepend($"conflicts with {g.Key}:"));
            message = $"Apply failed with {ordered.Count} conflicts: " + string.Join("\n", lines);
        }

        return new ApplyConflictException(ordered, message);
    }

    /// <summary>
    /// Which fields a write may own: on the main resource everything but <c>status</c> (when status is a
    /// subresource), on <c>/status</c> only <c>status</c>.
    /// </summary>
    private static Func<FieldSet, FieldSet> ResetFilter(string subresource, bool statusIsSubresource)
    {
        if (subresource == "status")
        {
            return set => set.OnlyUnder(Status);
        }

        if (subresource.Length == 0 && statusIsSubresource)
        {
            var status = new FieldSet();
            status.InsertMember(Status);
            return set => set.RecursiveDifference(status);
        }

        return set => set;
    }

    private static ManagedFieldsState DecodeStored(JsonObject? live)
    {
        try
        {
            return ManagedFieldsState.Decode(KubeObject.Metadata(live ?? [])?["managedFields"] as JsonArray);
        }
        catch (FormatException e)
        {
            throw InvalidApplyException.Internal("failed to decode managed fields: " + e.Message);
        }
    }

    private static ManagedFieldsState DecodeLiveOrNew(JsonObject? live, JsonObject updated, bool subresource)
    {
        var liveFields = KubeObject.Metadata(live ?? [])?["managedFields"] as JsonArray;
        if (!subresource)
        {
            var requested = KubeObject.Metadata(updated)?["managedFields"];
            if (requested is JsonArray list && (list.Count == 0 || (list.Count == 1 && list[0] is null or JsonObject { Count: 0 })))
            {
                return new ManagedFieldsState();
            }

            try
            {
                var decoded = ManagedFieldsState.Decode(requested as JsonArray);
                if (decoded.Entries.Count > 0)
                {
                    return decoded;
                }
            }
            catch (FormatException)
            {
                // Clients that do not understand managedFields must not wipe them: fall back to the stored ones.
            }
        }

        try
        {
            return ManagedFieldsState.Decode(liveFields);
        }
        catch (FormatException)
        {
            return new ManagedFieldsState();
        }
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        KubeObject.Metadata(copy)?.Remove("managedFields");
        return copy;
    }

    private static void SetManagedFields(JsonObject obj, ManagedFieldsState state)
    {
        var encoded = state.Encode();
        if (encoded is null)
        {
            KubeObject.Metadata(obj)?.Remove("managedFields");
        }
        else
        {
            KubeObject.EnsureMetadata(obj)["managedFields"] = encoded;
        }
    }

    /// <summary>Go's <c>GroupVersionKind.String()</c>, which keeps the slash for the core group (<c>/v1, Kind=ConfigMap</c>).</summary>
    private static string GoKind(GroupVersionKind gvk) => gvk.Group + "/" + gvk.Version + ", Kind=" + gvk.Kind;

    /// <summary>structured-merge-diff's validation error list: one bare, several under <c>errors:</c>.</summary>
    private static string Join(IReadOnlyList<string> errors) =>
        errors.Count == 1 ? errors[0] : "errors:\n" + string.Join("\n", errors.Select(e => "  " + e));
}
