using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Http;

/// <summary>A failed request with the exact Status body kube-apiserver would send (api-server.md §0.2).</summary>
internal sealed class ApiError : Exception
{
    private ApiError(int code, JsonObject? status, string message, string? plainText = null, IReadOnlyDictionary<string, string>? headers = null)
        : base(message)
    {
        Code = code;
        Status = status;
        PlainText = plainText;
        Headers = headers ?? new Dictionary<string, string>();
    }

    public int Code { get; }

    /// <summary>The Status body; null when the answer is plain text (<see cref="PlainText"/>).</summary>
    public JsonObject? Status { get; }

    public string? PlainText { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public static ApiError FromStatus(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return new ApiError(code, status, message);
    }

    public static ApiError Text(int code, string text, IReadOnlyDictionary<string, string>? headers = null) =>
        new(code, null, text, text, headers);

    public static JsonObject Details(string name, string group, string kind)
    {
        var d = new JsonObject();
        if (name.Length > 0)
        {
            d["name"] = name;
        }

        if (group.Length > 0)
        {
            d["group"] = group;
        }

        d["kind"] = kind;
        return d;
    }

    public static ApiError NotFound(ResourceType rt, string name) => NotFound(rt.Group, rt.Resource, name);

    public static ApiError NotFound(string group, string resource, string name)
    {
        var gr = group.Length == 0 ? resource : resource + "." + group;
        return FromStatus(404, "NotFound", $"{gr} \"{name}\" not found", Details(name, group, resource));
    }

    public static ApiError AlreadyExists(ResourceType rt, string name) =>
        FromStatus(409, "AlreadyExists", $"{rt.GroupResource} \"{name}\" already exists", Details(name, rt.Group, rt.Resource));

    public static ApiError Conflict(ResourceType rt, string name) =>
        FromStatus(409, "Conflict",
            $"Operation cannot be fulfilled on {rt.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(name, rt.Group, rt.Resource));

    public static ApiError Invalid(ResourceType rt, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(rt.Group, rt.Kind, name, errors);

    public static ApiError Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var gk = group.Length == 0 ? kind : kind + "." + group;
        var joined = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var details = Details(name, group, kind);
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field });
        }

        details["causes"] = causes;
        return FromStatus(422, "Invalid", $"{gk} \"{name}\" is invalid: {joined}", details);
    }

    public static ApiError BadRequest(string message) => FromStatus(400, "BadRequest", message);

    public static ApiError Forbidden(string message, JsonObject? details = null) => FromStatus(403, "Forbidden", message, details);

    public static ApiError Unauthorized() => FromStatus(401, "Unauthorized", "Unauthorized");

    public static ApiError MethodNotAllowed(string verb, ResourceType rt) =>
        FromStatus(405, "MethodNotAllowed", $"{verb} is not supported on resources of kind \"{rt.GroupResource}\"",
            Details("", rt.Group, rt.Resource));

    public static ApiError UnsupportedMediaType(IEnumerable<string> accepted) =>
        FromStatus(415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: " + string.Join(", ", accepted));

    public static ApiError NotAcceptable(IEnumerable<string> accepted) =>
        FromStatus(406, "NotAcceptable", "only the following media types are accepted: " + string.Join(", ", accepted));

    public static ApiError Expired(string message) => FromStatus(410, "Expired", message);

    public static ApiError Internal(string message) =>
        FromStatus(500, "InternalError", "Internal error occurred: " + message,
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    /// <summary>A plain Go error surfaced by the apiserver: 500, no reason, the raw text as message.</summary>
    public static ApiError PlainInternal(string message) => FromStatus(500, "", message);

    public static ApiError Timeout() =>
        FromStatus(504, "Timeout", "Timeout: request did not complete within requested timeout - context deadline exceeded",
            new JsonObject());

    public static ApiError NotFoundPath() => FromStatus(404, "NotFound", "the server could not find the requested resource",
        new JsonObject());
}
