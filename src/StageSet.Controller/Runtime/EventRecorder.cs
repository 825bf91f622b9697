using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using StageSet.Kube;
using StageSet.Manifests;

namespace StageSet.Controller.Runtime;

/// <summary>
/// Emits events.k8s.io/v1 Events about an object with reporting controller <c>stageset-controller</c>. Failures
/// to record are logged, never fatal: events are informational.
/// </summary>
public sealed class EventRecorder(DynamicClient client, ILogger log, string reportingInstance)
{
    public const string ReportingController = "stageset-controller";
    private static readonly GroupVersionKind EventKind = new("events.k8s.io", "v1", "Event");

    /// <param name="regarding">The object the event is about (needs apiVersion, kind, metadata).</param>
    /// <param name="type"><c>Normal</c> or <c>Warning</c>.</param>
    public async Task RecordAsync(JsonObject regarding, string type, string reason, string note, CancellationToken ct)
    {
        var meta = KubeObject.Metadata(regarding);
        var ns = KubeObject.Namespace(regarding);
        var name = KubeObject.Name(regarding);
        var now = DateTimeOffset.UtcNow;
        var evt = new JsonObject
        {
            ["apiVersion"] = "events.k8s.io/v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject
            {
                ["name"] = name + "." + now.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture) +
                           Random.Shared.Next(0x1000, 0xffff).ToString("x", CultureInfo.InvariantCulture),
                ["namespace"] = ns.Length == 0 ? "default" : ns,
            },
            ["eventTime"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["reportingController"] = ReportingController,
            ["reportingInstance"] = reportingInstance,
            ["action"] = reason,
            ["reason"] = reason,
            ["type"] = type,
            ["note"] = note.Length > 1024 ? note[..1021] + "..." : note,
            ["regarding"] = new JsonObject
            {
                ["apiVersion"] = KubeObject.ApiVersion(regarding),
                ["kind"] = KubeObject.Kind(regarding),
                ["namespace"] = ns,
                ["name"] = name,
                ["uid"] = meta?["uid"]?.DeepClone(),
                ["resourceVersion"] = meta?["resourceVersion"]?.DeepClone(),
            },
        };
        try
        {
            await client.CreateAsync(evt, ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex)
        {
            log.LogWarning("recording event {Reason} for {Namespace}/{Name} failed: {Error}", reason, ns, name, ex.Message);
        }
    }
}
