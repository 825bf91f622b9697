using System.Globalization;
using StageSet.Engine.Inventory;

namespace StageSet.Controller.Hosting;

/// <summary>The outcome of reading the command line: options to run with, or a message and exit code.</summary>
public sealed record FlagParseResult(ControllerOptions? Options, string? KubeconfigPath, int ExitCode, string? Message)
{
    public bool ShouldRun => Options is not null;
}

/// <summary>
/// Go <c>flag</c>-style command line (<c>-name</c> or <c>--name</c>, <c>=value</c> or a separate value, bare
/// booleans). Flags of features this build does not have yet are refused, never silently ignored.
/// </summary>
public static class ControllerFlags
{
    private sealed record Flag(string Name, bool IsBool, string Help);

    private static readonly Flag[] Known =
    [
        new("kubeconfig", false, "Path to a kubeconfig; in-cluster config when unset (also $KUBECONFIG)."),
        new("health-probe-bind-address", false, "Probe listener (/healthz, /readyz); \"0\" disables. Default :8081."),
        new("metrics-bind-address", false, "Prometheus listener; \"0\" disables. Default :8080."),
        new("gate-bind-address", false, "Gate listener; empty disables. Default :8082."),
        new("leader-elect", true, "Enable leader election."),
        new("watch-namespaces", false, "Comma-separated namespaces to watch (else $STAGESET_WATCH_NAMESPACES; empty = all)."),
        new("default-interval", false, "Interval for StageSets without spec.interval. Default 10m."),
        new("inventory-mode", false, "entries|hybrid|applyset. Default hybrid."),
        new("inventory-shard-cap", false, "Max entries per StageInventory shard. Default 5000."),
        new("no-cross-namespace-refs", true, "Deny sourceRefs into other namespaces."),
        new("allowed-action-hosts", false, "Host globs http actions may call (repeatable)."),
        new("runbook-base-url", false, "Prefix for runbook links on Ready messages; empty disables."),
        new("max-teardown-wait", false, "How long teardown may fail before the finalizer is force-dropped. Default 1h."),
        new("concurrent", false, "Concurrent StageSet reconciles. Default 4."),
        new("enable-webhook", true, "Serve the validating webhook."),
        new("webhook-cert-mode", false, "cert-manager|self-signed."),
        new("webhook-cert-dir", false, "Directory holding tls.crt/tls.key."),
        new("webhook-port", false, "Webhook port."),
        new("webhook-cert-validity", false, "Self-signed certificate validity."),
        new("webhook-service-name", false, "Webhook Service name."),
        new("webhook-service-namespace", false, "Webhook Service namespace."),
        new("webhook-validating-config-name", false, "ValidatingWebhookConfiguration to patch."),
        new("rollback-store-path", false, "Rollback store directory."),
        new("rollback-store-s3-endpoint", false, "Rollback store S3 endpoint."),
        new("rollback-store-s3-bucket", false, "Rollback store S3 bucket."),
        new("rollback-store-s3-prefix", false, "Rollback store S3 key prefix."),
        new("rollback-store-s3-region", false, "Rollback store S3 region."),
        new("rollback-store-s3-use-ssl", true, "Rollback store S3 over HTTPS."),
        new("rollback-store-s3-access-key", false, "Rollback store S3 access key."),
        new("rollback-store-s3-secret-key", false, "Rollback store S3 secret key."),
        new("rollback-store-s3-session-token", false, "Rollback store S3 session token."),
        new("rollback-store-s3-anonymous", true, "Rollback store S3 unsigned requests."),
        new("rollback-store-s3-sse", false, "none|s3|kms."),
        new("rollback-store-s3-sse-kms-key", false, "KMS key for sse=kms."),
        new("zap-log-level", false, "debug|info|error (seed logging flag)."),
        new("zap-encoder", false, "json|console (seed logging flag)."),
        new("zap-stacktrace-level", false, "Accepted for compatibility."),
        new("zap-time-encoding", false, "Accepted for compatibility."),
        new("zap-devel", true, "Development logging (text, debug)."),
        new("log-level", false, "debug|info|warn|error. Default info."),
        new("log-format", false, "json|text. Default json."),
    ];

    /// <summary>Flags whose feature is not in this build: setting them is an error rather than a silent no-op.</summary>
    private static readonly string[] NotSupportedYet =
    [
        "allowed-action-hosts", "webhook-cert-mode", "webhook-cert-dir", "webhook-port", "webhook-cert-validity",
        "webhook-service-name", "webhook-service-namespace", "webhook-validating-config-name", "rollback-store-path",
        "rollback-store-s3-endpoint", "rollback-store-s3-bucket", "rollback-store-s3-prefix", "rollback-store-s3-region",
        "rollback-store-s3-use-ssl", "rollback-store-s3-access-key", "rollback-store-s3-secret-key",
        "rollback-store-s3-session-token", "rollback-store-s3-anonymous", "rollback-store-s3-sse",
        "rollback-store-s3-sse-kms-key",
    ];

    public static string Usage() =>
        "Usage of stageset-controller:\n" + string.Join("\n",
            Known.Select(f => "  --" + f.Name + (f.IsBool ? "" : " value") + "\n        " + f.Help));

    public static FlagParseResult Parse(IReadOnlyList<string> args, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                break;
            }

            if (!arg.StartsWith('-') || arg == "-")
            {
                return Error("unexpected argument " + Quote(arg));
            }

            var body = arg.TrimStart('-');
            if (arg.StartsWith("---", StringComparison.Ordinal) || body.Length == 0)
            {
                return Error("bad flag syntax: " + arg);
            }

            string name;
            string? value = null;
            var eq = body.IndexOf('=');
            if (eq >= 0)
            {
                name = body[..eq];
                value = body[(eq + 1)..];
            }
            else
            {
                name = body;
            }

            if (name is "h" or "help")
            {
                return new FlagParseResult(null, null, 0, Usage());
            }

            var flag = Known.FirstOrDefault(f => f.Name == name);
            if (flag is null)
            {
                return Error("flag provided but not defined: -" + name);
            }

            if (value is null)
            {
                if (flag.IsBool)
                {
                    value = "true";
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    return Error("flag needs an argument: -" + name);
                }
            }

            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }

            list.Add(value);
        }

        try
        {
            return Build(values, env);
        }
        catch (FormatException ex)
        {
            return Error(ex.Message);
        }
    }

    private static FlagParseResult Build(Dictionary<string, List<string>> values, Func<string, string?> env)
    {
        string? Last(string name) => values.TryGetValue(name, out var l) ? l[^1] : null;

        foreach (var name in NotSupportedYet)
        {
            if (values.ContainsKey(name))
            {
                return Error("--" + name + " is not supported yet");
            }
        }

        if (Last("enable-webhook") is { } webhook && ParseBool("enable-webhook", webhook))
        {
            return Error("--enable-webhook is not supported yet (the validating webhook is not in this build; " +
                         "the reconcile-time validation still runs)");
        }

        var o = new ControllerOptions();
        if (Last("health-probe-bind-address") is { } probe)
        {
            o = o with { HealthProbeBindAddress = BindAddress("health-probe-bind-address", probe, allowZero: true) };
        }

        if (Last("metrics-bind-address") is { } metrics)
        {
            o = o with { MetricsBindAddress = BindAddress("metrics-bind-address", metrics, allowZero: true) };
        }

        if (Last("gate-bind-address") is { } gate)
        {
            o = o with { GateBindAddress = BindAddress("gate-bind-address", gate, allowZero: false) };
        }

        if (Last("leader-elect") is { } le)
        {
            o = o with { LeaderElect = ParseBool("leader-elect", le) };
        }

        var watch = Last("watch-namespaces");
        if (string.IsNullOrWhiteSpace(watch))
        {
            watch = env("STAGESET_WATCH_NAMESPACES");
        }

        o = o with { WatchNamespaces = SplitList(watch) };

        if (Last("default-interval") is { } di)
        {
            var d = Duration("default-interval", di);
            if (d <= TimeSpan.Zero)
            {
                throw new FormatException("--default-interval must be > 0");
            }

            o = o with { DefaultInterval = d };
        }

        if (Last("inventory-mode") is { } mode)
        {
            o = o with
            {
                InventoryMode = ApplySet.TryParseMode(mode, out var parsed)
                    ? parsed
                    : throw new FormatException(
                        "invalid value " + Quote(mode) + " for --inventory-mode: must be entries, hybrid or applyset"),
            };
        }

        if (Last("inventory-shard-cap") is { } cap)
        {
            var n = Int("inventory-shard-cap", cap);
            if (n < 1)
            {
                throw new FormatException("--inventory-shard-cap must be >= 1");
            }

            o = o with { InventoryShardCap = n };
        }

        if (Last("no-cross-namespace-refs") is { } nx)
        {
            o = o with { NoCrossNamespaceRefs = ParseBool("no-cross-namespace-refs", nx) };
        }

        if (Last("runbook-base-url") is { } rb)
        {
            o = o with { RunbookBaseUrl = rb };
        }

        if (Last("max-teardown-wait") is { } mtw)
        {
            var d = Duration("max-teardown-wait", mtw);
            if (d < TimeSpan.Zero)
            {
                throw new FormatException("--max-teardown-wait must be >= 0");
            }

            o = o with { MaxTeardownWait = d == TimeSpan.Zero ? TimeSpan.FromHours(1) : d };
        }

        if (Last("concurrent") is { } c)
        {
            var n = Int("concurrent", c);
            if (n < 1)
            {
                throw new FormatException("--concurrent must be >= 1");
            }

            o = o with { Concurrency = n };
        }

        o = ApplyLogging(o, values);
        return new FlagParseResult(o, Last("kubeconfig"), 0, null);
    }

    private static ControllerOptions ApplyLogging(ControllerOptions o, Dictionary<string, List<string>> values)
    {
        string? Last(string name) => values.TryGetValue(name, out var l) ? l[^1] : null;

        if (Last("zap-devel") is { } devel && ParseBool("zap-devel", devel))
        {
            o = o with { LogLevel = "debug", LogFormat = "text" };
        }

        if (Last("zap-log-level") is { } zl)
        {
            o = o with
            {
                LogLevel = zl switch
                {
                    "debug" or "info" or "error" => zl,
                    _ when int.TryParse(zl, CultureInfo.InvariantCulture, out var v) && v > 0 => "debug",
                    _ => throw new FormatException("invalid value " + Quote(zl) + " for --zap-log-level"),
                },
            };
        }

        if (Last("zap-encoder") is { } ze)
        {
            o = o with
            {
                LogFormat = ze switch
                {
                    "json" => "json",
                    "console" => "text",
                    _ => throw new FormatException("invalid value " + Quote(ze) + " for --zap-encoder: json or console"),
                },
            };
        }

        if (Last("log-level") is { } ll)
        {
            if (ll is not ("debug" or "info" or "warn" or "error"))
            {
                throw new FormatException("invalid value " + Quote(ll) + " for --log-level: debug, info, warn or error");
            }

            o = o with { LogLevel = ll };
        }

        if (Last("log-format") is { } lf)
        {
            if (lf is not ("json" or "text"))
            {
                throw new FormatException("invalid value " + Quote(lf) + " for --log-format: json or text");
            }

            o = o with { LogFormat = lf };
        }

        return o;
    }

    /// <summary>Entries trimmed, empty entries dropped.</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary><c>host:port</c> with port 1..65535 (host may be empty); "0" or empty allowed where noted.</summary>
    private static string BindAddress(string flag, string value, bool allowZero)
    {
        if (value.Length == 0 || (allowZero && value == "0"))
        {
            return value;
        }

        var colon = value.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ||
            port is < 1 or > 65535)
        {
            throw new FormatException("invalid value " + Quote(value) + " for --" + flag +
                                      ": must be host:port with a port in 1..65535");
        }

        return value;
    }

    private static TimeSpan Duration(string flag, string value) =>
        Api.Duration.TryParse(value, out var d)
            ? d.ToTimeSpan()
            : throw new FormatException("invalid value " + Quote(value) + " for flag -" + flag + ": parse error");

    private static int Int(string flag, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException("invalid value " + Quote(value) + " for flag -" + flag + ": parse error");

    private static bool ParseBool(string flag, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw new FormatException("invalid boolean value " + Quote(value) + " for -" + flag + ": parse error"),
    };

    private static string Quote(string s) => "\"" + s + "\"";

    private static FlagParseResult Error(string message) => new(null, null, 2, message);
}
