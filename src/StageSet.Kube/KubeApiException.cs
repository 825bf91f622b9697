using System.Net;
using System.Text.Json.Nodes;

namespace StageSet.Kube;

/// <summary>
/// A failed Kubernetes API call, carrying the server's status code, machine-readable reason and message
/// verbatim so callers can report them (the spec's RBACDenied message quotes the API error).
/// </summary>
public class KubeApiException : Exception
{
    public KubeApiException(string operation, int statusCode, string reason, string apiMessage, JsonObject? status = null,
        Exception? inner = null)
        : base(operation + ": " + apiMessage, inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        Reason = reason;
        ApiMessage = apiMessage;
        Status = status;
    }

    /// <summary>What was attempted, e.g. <c>get apps/v1, Kind=Deployment apps/web</c>.</summary>
    public string Operation { get; }

    /// <summary>HTTP status code; 0 when no response was received or the failure was client-side.</summary>
    public int StatusCode { get; }

    /// <summary>The Status <c>reason</c> (<c>Forbidden</c>, <c>NotFound</c>, ...), or a synthesised one.</summary>
    public string Reason { get; }

    /// <summary>The server's message, unchanged.</summary>
    public string ApiMessage { get; }

    public JsonObject? Status { get; }

    public bool IsNotFound => StatusCode == (int)HttpStatusCode.NotFound;

    public bool IsConflict => StatusCode == (int)HttpStatusCode.Conflict && Reason != "AlreadyExists";

    public bool IsAlreadyExists => StatusCode == (int)HttpStatusCode.Conflict && Reason == "AlreadyExists";

    public bool IsForbidden => StatusCode == (int)HttpStatusCode.Forbidden;

    public bool IsUnauthorized => StatusCode == (int)HttpStatusCode.Unauthorized;

    public bool IsInvalid => StatusCode == 422;

    public bool IsGone => StatusCode == (int)HttpStatusCode.Gone;

    /// <summary>Worth retrying later: throttling, server errors, timeouts and lost connections.</summary>
    public bool IsTransient => StatusCode is 0 or 429 or >= 500;
}

/// <summary>The API server serves no resource for a kind (CRD not installed or not yet established).</summary>
public sealed class NoKindMatchException(StageSet.Manifests.GroupVersionKind gvk, string operation)
    : KubeApiException(operation, 0, "NoKindMatch",
        "no matches for kind \"" + gvk.Kind + "\" in version \"" + gvk.GroupVersion + "\"")
{
    public StageSet.Manifests.GroupVersionKind Kind { get; } = gvk;
}

/// <summary>Classifications the controller maps onto its reasons.</summary>
public static class KubeErrors
{
    /// <summary>
    /// Forbidden, or a kind the cluster does not serve: both mean the identity cannot do what the spec asks,
    /// which the spec reports as RBACDenied.
    /// </summary>
    public static bool IsPermissionOrKindProblem(Exception ex) =>
        ex is NoKindMatchException || (ex is KubeApiException k && k.IsForbidden);

    public static bool IsNotFound(Exception ex) => ex is KubeApiException { IsNotFound: true };
}
