using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// Who a managedFields entry belongs to: Apply entries by (manager, subresource), Update entries also by apiVersion
/// (api-server.md §6.3).
/// </summary>
internal sealed record ManagerKey(string Manager, bool Applied, string ApiVersion, string Subresource)
{
    public static ManagerKey Apply(string manager, string subresource) => new(manager, true, "", subresource);

    public static ManagerKey Update(string manager, string apiVersion, string subresource) => new(manager, false, apiVersion, subresource);

    public string Operation => Applied ? "Apply" : "Update";

    /// <summary>kube-apiserver's manager identifier (the entry's JSON without time and fields); conflicts sort by it.</summary>
    public string Identifier
    {
        get
        {
            var sb = new StringBuilder("{");
            var parts = new List<string>();
            if (Manager.Length > 0)
            {
                parts.Add("\"manager\":" + GoJson.Quote(Manager));
            }

            parts.Add("\"operation\":" + GoJson.Quote(Operation));
            if (ApiVersion.Length > 0)
            {
                parts.Add("\"apiVersion\":" + GoJson.Quote(ApiVersion));
            }

            if (Subresource.Length > 0)
            {
                parts.Add("\"subresource\":" + GoJson.Quote(Subresource));
            }

            return sb.Append(string.Join(",", parts)).Append('}').ToString();
        }
    }

    /// <summary>How conflict messages name the owner: <c>"m"</c>, <c>"m" with subresource "status"</c>, <c>… using apps/v1</c>.</summary>
    public string Printed
    {
        get
        {
            var s = Manifests.Schema.FieldError.Quote(Manager);
            if (Subresource.Length > 0)
            {
                s += " with subresource " + Manifests.Schema.FieldError.Quote(Subresource);
            }

            return Applied ? s : s + " using " + ApiVersion;
        }
    }
}

/// <summary>One manager's fields, the version they were written with, and when.</summary>
internal sealed record ManagedEntry(FieldSet Set, string ApiVersion, DateTimeOffset? Time);

/// <summary>
/// The decoded <c>metadata.managedFields</c> of an object: one field set per manager, with encode (sorted as
/// kube-apiserver sorts them) and the cap that folds old Update entries into <c>ancient-changes</c>.
/// </summary>
internal sealed class ManagedFieldsState
{
    public const string AncientChangesManager = "ancient-changes";
    public const int MaxUpdateManagers = 10;

    public Dictionary<ManagerKey, ManagedEntry> Entries { get; } = [];

    /// <summary>Decodes a managedFields list; throws <see cref="FormatException"/> on any entry kube-apiserver would reject.</summary>
    public static ManagedFieldsState Decode(JsonArray? list)
    {
        var state = new ManagedFieldsState();
        if (list is null)
        {
            return state;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject entry)
            {
                throw new FormatException($"managed fields entry {i} is not an object");
            }

            var operation = Str(entry, "operation");
            if (operation is not ("Apply" or "Update"))
            {
                throw new FormatException("operation must be `Apply` or `Update`");
            }

            var apiVersion = Str(entry, "apiVersion");
            if (apiVersion.Length == 0)
            {
                throw new FormatException("apiVersion must not be empty");
            }

            var fieldsType = Str(entry, "fieldsType");
            if (fieldsType != "FieldsV1")
            {
                throw new FormatException(fieldsType.Length == 0
                    ? $"missing fieldsType in managed fields entry {i}"
                    : $"invalid fieldsType {GoJson.Quote(fieldsType)} in managed fields entry {i}");
            }

            var set = entry["fieldsV1"] is { } fields ? FieldsV1.Parse(fields) : new FieldSet();
            DateTimeOffset? time = DateTimeOffset.TryParse(Str(entry, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t
                : null;
            var key = operation == "Apply"
                ? ManagerKey.Apply(Str(entry, "manager"), Str(entry, "subresource"))
                : ManagerKey.Update(Str(entry, "manager"), apiVersion, Str(entry, "subresource"));
            state.Entries[key] = new ManagedEntry(set, apiVersion, time);
        }

        return state;
    }

    /// <summary>Entries ordered Apply before Update, then by time, manager, apiVersion, subresource; null when none.</summary>
    public JsonArray? Encode()
    {
        if (Entries.Count == 0)
        {
            return null;
        }

        var ordered = Entries
            .OrderBy(e => e.Key.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Value.Time?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(e => e.Key.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.Value.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Key.Subresource, StringComparer.Ordinal);
        var list = new JsonArray();
        foreach (var (key, entry) in ordered)
        {
            var obj = new JsonObject();
            if (key.Manager.Length > 0)
            {
                obj["manager"] = key.Manager;
            }

            obj["operation"] = key.Operation;
            obj["apiVersion"] = entry.ApiVersion;
            if (entry.Time is { } time)
            {
                obj["time"] = FormatTime(time);
            }

            obj["fieldsType"] = "FieldsV1";
            obj["fieldsV1"] = FieldsV1.ToJson(entry.Set);
            if (key.Subresource.Length > 0)
            {
                obj["subresource"] = key.Subresource;
            }

            list.Add(obj);
        }

        return list;
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drops managers whose sets became empty.</summary>
    public void RemoveEmpty()
    {
        foreach (var key in Entries.Where(e => e.Value.Set.IsEmpty).Select(e => e.Key).ToList())
        {
            Entries.Remove(key);
        }
    }

    /// <summary>
    /// Keeps at most <see cref="MaxUpdateManagers"/> Update entries: the oldest are merged, per apiVersion, into an
    /// <c>ancient-changes</c> entry that takes the time of the newest update folded into it.
    /// </summary>
    public void CapUpdateManagers()
    {
        var updaters = Entries.Where(e => !e.Key.Applied).Select(e => e.Key).ToList();
        if (updaters.Count <= MaxUpdateManagers)
        {
            return;
        }

        updaters = updaters
            .OrderBy(k => Entries[k].Time?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(k => k.Identifier, StringComparer.Ordinal)
            .ToList();
        var firstByVersion = new Dictionary<string, ManagerKey>(StringComparer.Ordinal);
        var remaining = updaters.Count;
        for (var i = 0; i < updaters.Count && remaining > MaxUpdateManagers; i++)
        {
            var key = updaters[i];
            var entry = Entries[key];
            var bucket = ManagerKey.Update(AncientChangesManager, entry.ApiVersion, "");
            if (key == bucket)
            {
                firstByVersion.TryAdd(entry.ApiVersion, key);
                continue;
            }

            if (!firstByVersion.TryGetValue(entry.ApiVersion, out var first))
            {
                firstByVersion[entry.ApiVersion] = key;
                continue;
            }

            if (!Entries.ContainsKey(bucket))
            {
                Entries[bucket] = Entries[first];
                Entries.Remove(first);
            }

            Entries[bucket] = new ManagedEntry(entry.Set.Union(Entries[bucket].Set), entry.ApiVersion, entry.Time);
            Entries.Remove(key);
            remaining--;
        }
    }

    private static string Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
