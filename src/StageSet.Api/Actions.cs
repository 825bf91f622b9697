using System.Text.Json.Serialization;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>
/// One typed step (Go <c>Action</c>): exactly one of the verbs is set. Used for stage actions, migrations and
/// onRollback.
/// </summary>
[Description("One typed step; exactly one of patch, http, wait, job, delete and apply is set.")]
public sealed record StageAction
{
    [Required]
    [Description("Action name, unique in its list; it keys the action ledger and appears in status and events.")]
    public string Name { get; init; } = "";

    [Description("Which ledger records completion of a stage's pre or post action: Revision (once per pinned revision, the default) or Version (once per resolved version, needs spec.version).")]
    [Enum(ActionScopes.Revision, ActionScopes.Version)]
    public string? Scope { get; init; }

    [Description("Deadline for the whole action, retries included.")]
    public Duration? Timeout { get; init; }

    [Description("Extra attempts after a failure.")]
    [Minimum(0)]
    [Maximum(100)]
    public int? Retries { get; init; }

    [Description("Patch an existing object.")]
    public PatchAction? Patch { get; init; }

    [Description("Call an HTTP endpoint.")]
    public HttpAction? Http { get; init; }

    [Description("Wait for a fixed time or until a CEL expression over an object holds.")]
    public WaitAction? Wait { get; init; }

    [Description("Run the Jobs in an artifact to completion, then delete them.")]
    public JobAction? Job { get; init; }

    [Description("Delete an object; a missing object counts as success.")]
    public DeleteAction? Delete { get; init; }

    [Description("Apply transient manifests from an artifact; they are never inventoried or pruned.")]
    public ApplyAction? Apply { get; init; }

    /// <summary>The verbs that are set, in declaration order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Verbs
    {
        get
        {
            var verbs = new List<string>(1);
            if (Patch is not null)
            {
                verbs.Add(ActionVerbs.Patch);
            }

            if (Http is not null)
            {
                verbs.Add(ActionVerbs.Http);
            }

            if (Wait is not null)
            {
                verbs.Add(ActionVerbs.Wait);
            }

            if (Job is not null)
            {
                verbs.Add(ActionVerbs.Job);
            }

            if (Delete is not null)
            {
                verbs.Add(ActionVerbs.Delete);
            }

            if (Apply is not null)
            {
                verbs.Add(ActionVerbs.Apply);
            }

            return verbs;
        }
    }

    /// <summary>The single verb, or <c>action</c> when none or several are set.</summary>
    [JsonIgnore]
    public string Verb => Verbs is [var only] ? only : "action";

    /// <summary>The scope with its default (<c>Revision</c>) applied.</summary>
    [JsonIgnore]
    public string EffectiveScope => string.IsNullOrEmpty(Scope) ? ActionScopes.Revision : Scope;
}

/// <summary>The verb names of an action.</summary>
public static class ActionVerbs
{
    public const string Patch = "patch";
    public const string Http = "http";
    public const string Wait = "wait";
    public const string Job = "job";
    public const string Delete = "delete";
    public const string Apply = "apply";
}

/// <summary>The values of <c>scope</c>.</summary>
public static class ActionScopes
{
    public const string Revision = "Revision";
    public const string Version = "Version";
}

/// <summary>Patches an existing object.</summary>
[Description("Patches an existing object, or every object of a kind matching a label selector.")]
public sealed record PatchAction
{
    [Required]
    [Description("What to patch: one object by name, or all matches of a selector.")]
    public PatchTarget Target { get; init; } = new();

    [Description("merge (a strategic-merge patch, the default; fails on custom resources) or json6902 (a JSON Patch).")]
    [Enum(PatchTypes.Merge, PatchTypes.Json6902)]
    public string? Type { get; init; }

    [Required]
    [Description("The patch document, sent as the request body.")]
    public string Patch { get; init; } = "";
}

/// <summary>The values of <c>patch.type</c>.</summary>
public static class PatchTypes
{
    public const string Merge = "merge";
    public const string Json6902 = "json6902";
}

/// <summary>What a patch action patches.</summary>
[Description("The object to patch by name, or the objects matching a selector; exactly one of name and selector.")]
public sealed record PatchTarget
{
    [Description("API version of the object; empty means the core group at the server's preferred version.")]
    public string? ApiVersion { get; init; }

    [Required]
    [Description("Kind of the object.")]
    public string Kind { get; init; } = "";

    [Description("Namespace of the object; the StageSet's namespace when empty.")]
    public string? Namespace { get; init; }

    [Description("Name of the one object to patch; a missing object is an error.")]
    public string? Name { get; init; }

    [Description("Patch every object of the kind whose labels match; must not be empty. No match is a success.")]
    public LabelSelector? Selector { get; init; }
}

/// <summary>Calls an HTTP endpoint.</summary>
[Description("Calls an HTTP or HTTPS endpoint the controller's host allow-list permits.")]
public sealed record HttpAction
{
    [Required]
    [Description("The http or https URL to call.")]
    public string Url { get; init; } = "";

    [Description("The request method; POST when empty.")]
    [Enum(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Head)]
    public string? Method { get; init; }

    [Description("The request body.")]
    public string? Body { get; init; }

    [Description("Reads the request body from a Secret key instead of body; the key must exist.")]
    public SecretKeyReference? BodyFrom { get; init; }

    [Description("Each entry adds a header named after the key, valued from the Secret.")]
    public IReadOnlyList<SecretKeyReference>? HeadersFrom { get; init; }

    [Description("Status codes that count as success; any 2xx when empty.")]
    [Minimum(100)]
    [Maximum(599)]
    public IReadOnlyList<int>? ExpectedStatus { get; init; }
}

/// <summary>The values of <c>http.method</c>.</summary>
public static class HttpMethods
{
    public const string Get = "GET";
    public const string Post = "POST";
    public const string Put = "PUT";
    public const string Patch = "PATCH";
    public const string Delete = "DELETE";
    public const string Head = "HEAD";
}

/// <summary>Waits for time to pass or for a condition.</summary>
[Description("Waits a fixed duration, or polls a CEL expression over a target object until it holds.")]
public sealed record WaitAction
{
    [Description("A fixed wait; when set, expr is ignored.")]
    public Duration? Duration { get; init; }

    [Description("The object expr is evaluated against; required with expr.")]
    public NamespacedObjectKindReference? Target { get; init; }

    [Description("A CEL expression over the target that must become true.")]
    public string? Expr { get; init; }

    [Description("How long to poll expr before failing; 5m when unset.")]
    public Duration? Timeout { get; init; }
}

/// <summary>Runs Jobs from an artifact.</summary>
[Description("Creates the Jobs built from an artifact under a revision-specific name, waits for them to finish, then deletes them.")]
public sealed record JobAction
{
    [Required]
    [Description("The artifact holding the Job manifests.")]
    public SourceReference SourceRef { get; init; } = new();

    [Description("The directory inside the artifact to build; the root when empty.")]
    public string? Path { get; init; }
}

/// <summary>Deletes an object.</summary>
[Description("Deletes an object; a missing object counts as success.")]
public sealed record DeleteAction
{
    [Required]
    [Description("The object to delete.")]
    public NamespacedObjectKindReference Target { get; init; } = new();

    [Description("What happens to dependents: Background (the default), Foreground or Orphan.")]
    [Enum(CascadePolicies.Background, CascadePolicies.Foreground, CascadePolicies.Orphan)]
    public string? Cascade { get; init; }
}

/// <summary>The values of <c>delete.cascade</c>.</summary>
public static class CascadePolicies
{
    public const string Background = "Background";
    public const string Foreground = "Foreground";
    public const string Orphan = "Orphan";
}

/// <summary>Applies transient manifests.</summary>
[Description("Applies manifests from an artifact as a one-off step; they carry owner labels but never enter an inventory.")]
public sealed record ApplyAction
{
    [Required]
    [Description("The artifact holding the manifests.")]
    public SourceReference SourceRef { get; init; } = new();

    [Description("The directory inside the artifact to build; the root when empty.")]
    public string? Path { get; init; }

    [Description("Wait until the applied objects are healthy, bounded by the action timeout (5m when unset).")]
    public bool Wait { get; init; }
}
