using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Http;

/// <summary>Server-side printing: <c>meta.k8s.io/v1</c> Table responses with the columns of api-server.md §3.8.</summary>
internal static class Tables
{
    public const string ContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public static bool Requested(ApiRequest req)
    {
        var accept = req.Http.Request.Headers.Accept.ToString();
        foreach (var part in accept.Split(','))
        {
            var p = part.Replace(" ", "", StringComparison.Ordinal);
            if (p.Contains("as=Table", StringComparison.Ordinal) && p.Contains("g=meta.k8s.io", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static async Task WriteAsync(ApiRequest req, ServerCore core, IReadOnlyList<StoredObject> items, long rv, string? next, long? remaining)
    {
        var table = Build(req, core, items, rv, next, remaining, includeColumns: true);
        await Responses.WriteJsonAsync(req.Http.Response, 200, table, ContentType);
    }

    public static JsonObject Build(ApiRequest req, ServerCore core, IReadOnlyList<StoredObject> items, long rv, string? next, long? remaining, bool includeColumns)
    {
        var rt = req.Resource;
        var columns = ColumnsFor(rt);
        var now = core.Clock.GetUtcNow();
        var includeObject = req.QueryValue("includeObject") ?? "Metadata";
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var obj = ListRendering.Present(rt, item);
            var cells = new JsonArray(columns.Select(c => c.Cell(obj, now)).ToArray());
            var row = new JsonObject { ["cells"] = cells };
            if (includeObject == "Object")
            {
                row["object"] = obj;
            }
            else if (includeObject != "None")
            {
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
            }

            rows.Add(row);
        }

        var meta = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            meta["continue"] = next;
        }

        if (remaining is { } r)
        {
            meta["remainingItemCount"] = r;
        }

        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = meta };
        table["columnDefinitions"] = includeColumns
            ? new JsonArray(columns.Select(c => (JsonNode?)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            }).ToArray())
            : null;
        table["rows"] = rows;
        return table;
    }

    private sealed record Column(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);

    private static Column NameColumn() => new("Name", "string", "name",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        0, (o, _) => KubeObject.Name(o));

    private static Column AgeColumn() => new("Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        0, (o, now) => Age(o, now));

    private static Column Text(string name, Func<JsonObject, string> cell, int priority = 0, string type = "string") =>
        new(name, type, "", name, priority, (o, _) => cell(o));

    private static Column Number(string name, Func<JsonObject, long> cell, int priority = 0) =>
        new(name, "integer", "", name, priority, (o, _) => cell(o));

    private static IReadOnlyList<Column> ColumnsFor(ResourceType rt)
    {
        if (rt.IsCustom)
        {
            var custom = new List<Column> { NameColumn() };
            foreach (var pc in rt.Custom!.PrinterColumns)
            {
                custom.Add(new Column(pc.Name, pc.Type, pc.Format, pc.Description, pc.Priority, (o, now) => PrinterCell(o, pc, now)));
            }

            if (rt.Custom.PrinterColumns.Count == 0)
            {
                custom.Add(AgeColumn());
            }

            return custom;
        }

        return (rt.Group, rt.Kind) switch
        {
            ("", "Namespace") => [NameColumn(), Text("Status", o => Str(o, "status", "phase")), AgeColumn()],
            ("", "ConfigMap") => [NameColumn(), Number("Data", o => Count(o, "data") + Count(o, "binaryData")), AgeColumn()],
            ("", "Secret") => [NameColumn(), Text("Type", o => Str(o, "type")), Number("Data", o => Count(o, "data")), AgeColumn()],
            ("", "Service") =>
            [
                NameColumn(), Text("Type", o => Str(o, "spec", "type")), Text("Cluster-IP", o => OrNone(Str(o, "spec", "clusterIP"))),
                Text("External-IP", ExternalIps), Text("Port(s)", ServicePorts), AgeColumn(), Text("Selector", o => Selector(o["spec"]?["selector"]), 1),
            ],
            ("", "Pod") =>
            [
                NameColumn(), Text("Ready", PodReady), Text("Status", PodStatus), Number("Restarts", PodRestarts), AgeColumn(),
                Text("IP", o => OrNone(Str(o, "status", "podIP")), 1), Text("Node", o => OrNone(Str(o, "spec", "nodeName")), 1),
                Text("Nominated Node", o => OrNone(Str(o, "status", "nominatedNodeName")), 1), Text("Readiness Gates", _ => "<none>", 1),
            ],
            ("apps", "Deployment") =>
            [
                NameColumn(), Text("Ready", o => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas")}"),
                Number("Up-to-date", o => Int(o, "status", "updatedReplicas")), Number("Available", o => Int(o, "status", "availableReplicas")),
                AgeColumn(), Text("Containers", o => Containers(o, "name"), 1), Text("Images", o => Containers(o, "image"), 1),
                Text("Selector", o => Selector(o["spec"]?["selector"]?["matchLabels"]), 1),
            ],
            ("apps", "StatefulSet") =>
            [
                NameColumn(), Text("Ready", o => $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas")}"), AgeColumn(),
                Text("Containers", o => Containers(o, "name"), 1), Text("Images", o => Containers(o, "image"), 1),
            ],
            ("batch", "Job") =>
            [
                NameColumn(), Text("Status", JobStatus), Text("Completions", o => $"{Int(o, "status", "succeeded")}/{(Has(o, "spec", "completions") ? Int(o, "spec", "completions") : 1)}"),
                Text("Duration", o => JobDuration(o)), AgeColumn(), Text("Containers", o => Containers(o, "name"), 1),
                Text("Images", o => Containers(o, "image"), 1), Text("Selector", o => Selector(o["spec"]?["selector"]?["matchLabels"]), 1),
            ],
            _ => [NameColumn(), new Column("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, (o, _) => Str(o, "metadata", "creationTimestamp"))],
        };
    }

    private static JsonNode? PrinterCell(JsonObject obj, PrinterColumn column, DateTimeOffset now)
    {
        var value = SimpleJsonPath.Read(obj, column.JsonPath);
        if (value is null)
        {
            return null;
        }

        if (column.Type == "date" && value is JsonValue v && v.TryGetValue<string>(out var s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return HumanDuration(now - t);
        }

        return value.DeepClone();
    }

    private static string Age(JsonObject obj, DateTimeOffset now) =>
        DateTimeOffset.TryParse(Str(obj, "metadata", "creationTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? HumanDuration(now - created)
            : "<unknown>";

    /// <summary>apimachinery's <c>duration.HumanDuration</c>.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }

        return $"{hours / 24 / 365}y";
    }

    private static JsonNode? Walk(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }

        return node;
    }

    private static string Str(JsonObject obj, params string[] path) =>
        Walk(obj, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static bool Has(JsonObject obj, params string[] path) => Walk(obj, path) is not null;

    private static long Int(JsonObject obj, params string[] path) =>
        Walk(obj, path) is JsonValue v && v.TryGetValue<long>(out var l) ? l : 0;

    private static long Count(JsonObject obj, string field) => obj[field] is JsonObject o ? o.Count : 0;

    private static string OrNone(string s) => s.Length == 0 ? "<none>" : s;

    private static string Selector(JsonNode? selector) =>
        selector is JsonObject o && o.Count > 0 ? string.Join(",", o.Select(p => p.Key + "=" + p.Value)) : "<none>";

    private static string ExternalIps(JsonObject o)
    {
        var type = Str(o, "spec", "type");
        var ips = o["spec"]?["externalIPs"] is JsonArray a ? a.Select(x => x?.ToString() ?? "").ToList() : [];
        if (type == "LoadBalancer")
        {
            var ingress = o["status"]?["loadBalancer"]?["ingress"] is JsonArray ing
                ? ing.Select(x => Str((JsonObject)x!, "ip") is { Length: > 0 } ip ? ip : Str((JsonObject)x!, "hostname")).ToList()
                : [];
            ips.AddRange(ingress);
            return ips.Count == 0 ? "<pending>" : string.Join(",", ips);
        }

        if (type == "ExternalName")
        {
            return Str(o, "spec", "externalName");
        }

        return ips.Count == 0 ? "<none>" : string.Join(",", ips);
    }

    private static string ServicePorts(JsonObject o)
    {
        if (o["spec"]?["ports"] is not JsonArray ports || ports.Count == 0)
        {
            return "<none>";
        }

        return string.Join(",", ports.OfType<JsonObject>().Select(p =>
        {
            var port = Int(p, "port").ToString(CultureInfo.InvariantCulture);
            var protocol = Str(p, "protocol") is { Length: > 0 } pr ? pr : "TCP";
            return Has(p, "nodePort") ? $"{port}:{Int(p, "nodePort")}/{protocol}" : $"{port}/{protocol}";
        }));
    }

    private static string PodReady(JsonObject o)
    {
        var total = o["spec"]?["containers"] is JsonArray c ? c.Count : 0;
        var ready = o["status"]?["containerStatuses"] is JsonArray s ? s.OfType<JsonObject>().Count(x => x["ready"] is JsonValue r && r.TryGetValue<bool>(out var b) && b) : 0;
        return $"{ready}/{total}";
    }

    private static string PodStatus(JsonObject o) =>
        ObjectSemantics.IsDeleting(o) ? "Terminating" : Str(o, "status", "reason") is { Length: > 0 } reason ? reason : OrDefault(Str(o, "status", "phase"), "Pending");

    private static long PodRestarts(JsonObject o) =>
        o["status"]?["containerStatuses"] is JsonArray s ? s.OfType<JsonObject>().Sum(x => Int(x, "restartCount")) : 0;

    private static string OrDefault(string s, string fallback) => s.Length == 0 ? fallback : s;

    private static string Containers(JsonObject o, string field) =>
        o["spec"]?["template"]?["spec"]?["containers"] is JsonArray c ? string.Join(",", c.OfType<JsonObject>().Select(x => Str(x, field))) : "";

    private static string JobStatus(JsonObject o)
    {
        var conditions = o["status"]?["conditions"] as JsonArray;
        bool Has(string type) => conditions?.OfType<JsonObject>().Any(c => Str(c, "type") == type && Str(c, "status") == "True") == true;
        if (Has("Complete"))
        {
            return "Complete";
        }

        if (Has("Failed"))
        {
            return "Failed";
        }

        if (ObjectSemantics.IsDeleting(o))
        {
            return "Terminating";
        }

        if (Has("Suspended"))
        {
            return "Suspended";
        }

        return "Running";
    }

    private static string JobDuration(JsonObject o)
    {
        if (!DateTimeOffset.TryParse(Str(o, "status", "startTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            return "";
        }

        return DateTimeOffset.TryParse(Str(o, "status", "completionTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end)
            ? HumanDuration(end - start)
            : HumanDuration(DateTimeOffset.UtcNow - start);
    }
}

/// <summary>The simple JSONPath subset of additionalPrinterColumns: <c>.a.b</c>, <c>.a[0].b</c>.</summary>
internal static class SimpleJsonPath
{
    public static JsonNode? Read(JsonObject obj, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }

        JsonNode? node = obj;
        foreach (var raw in p.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw;
            int? index = null;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0 && part.EndsWith(']') && int.TryParse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture, out var i))
            {
                index = i;
                part = part[..bracket];
            }

            node = node is JsonObject o ? o[part] : null;
            if (index is { } idx)
            {
                node = node is JsonArray a && idx < a.Count ? a[idx] : null;
            }
        }

        return node;
    }
}
