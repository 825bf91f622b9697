using StageSet.Manifests.Schema;

namespace StageSet.Api.Validation;

internal sealed partial class SpecValidator
{
    private const int StageActionMaxRetries = 100;
    private const int MigrationActionMaxRetries = 10;

    /// <summary>Where an action list sits, which decides whether <c>scope</c> is allowed and the retry bound.</summary>
    private enum ActionSite
    {
        StagePrePost,
        StageOnFailure,
        OnRollback,
        Migration,
    }

    private void StageActions(string path, StageActions? actions)
    {
        if (actions is null)
        {
            return;
        }

        // pre, post and onFailure share one ledger, so names must be unique across all three.
        var names = new HashSet<string>(StringComparer.Ordinal);
        ActionList(path.Child("pre"), actions.Pre, ActionSite.StagePrePost, names);
        ActionList(path.Child("post"), actions.Post, ActionSite.StagePrePost, names);
        ActionList(path.Child("onFailure"), actions.OnFailure, ActionSite.StageOnFailure, names);
    }

    private void ValidateOnRollback() =>
        ActionList(Spec.Child("onRollback"), spec.OnRollback, ActionSite.OnRollback, new HashSet<string>(StringComparer.Ordinal));

    private void ActionList(string path, IReadOnlyList<StageAction>? actions, ActionSite site, HashSet<string> names)
    {
        for (var i = 0; i < (actions?.Count ?? 0); i++)
        {
            Action(path.Index(i), actions![i], site, names);
        }
    }

    private void Action(string path, StageAction action, ActionSite site, HashSet<string> names)
    {
        if (string.IsNullOrEmpty(action.Name))
        {
            Add(FieldError.Required(path.Child("name")));
        }
        else if (!names.Add(action.Name))
        {
            Add(new FieldError(FieldErrorType.Duplicate, path.Child("name"), Q(action.Name), site switch
            {
                ActionSite.StagePrePost or ActionSite.StageOnFailure => "action names must be unique across a stage's pre, post and onFailure actions",
                _ => "action names must be unique within the list",
            }));
        }

        Scope(path.Child("scope"), action.Scope, site);
        var maxRetries = site == ActionSite.Migration ? MigrationActionMaxRetries : StageActionMaxRetries;
        if (action.Retries is { } retries && (retries < 0 || retries > maxRetries))
        {
            Add(FieldError.Invalid(path.Child("retries"), retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"must be between 0 and {maxRetries}"));
        }

        var verbs = action.Verbs;
        if (verbs.Count == 0)
        {
            Add(FieldError.Required(path, "exactly one of patch, http, wait, job, delete or apply must be set"));
        }
        else if (verbs.Count > 1)
        {
            Add(FieldError.Invalid(path, Q(string.Join(", ", verbs)), "exactly one of patch, http, wait, job, delete or apply must be set"));
        }

        Patch(path.Child("patch"), action.Patch);
        Http(path.Child("http"), action.Http);
        Wait(path.Child("wait"), action.Wait);
        if (action.Job is { } job)
        {
            Source(path.Child("job").Child("sourceRef"), job.SourceRef);
        }

        if (action.Delete is { } delete)
        {
            ObjectReference(path.Child("delete").Child("target"), delete.Target);
            Enum(path.Child("delete").Child("cascade"), delete.Cascade, CascadePolicies.Background, CascadePolicies.Foreground, CascadePolicies.Orphan);
        }

        if (action.Apply is { } apply)
        {
            Source(path.Child("apply").Child("sourceRef"), apply.SourceRef);
        }
    }

    private void Scope(string path, string? scope, ActionSite site)
    {
        if (string.IsNullOrEmpty(scope))
        {
            return;
        }

        if (site != ActionSite.StagePrePost)
        {
            Add(FieldError.Forbidden(path, site switch
            {
                ActionSite.StageOnFailure => "scope is only allowed on a stage's pre and post actions, not on onFailure",
                ActionSite.OnRollback => "scope is only allowed on a stage's pre and post actions, not on onRollback",
                _ => "scope is only allowed on a stage's pre and post actions, not on migration actions",
            }));
            return;
        }

        Enum(path, scope, ActionScopes.Revision, ActionScopes.Version);
        if (scope == ActionScopes.Version && spec.Version is null)
        {
            Add(FieldError.Invalid(path, Q(scope), "scope Version needs spec.version to be set"));
        }
    }

    private void ObjectReference(string path, NamespacedObjectKindReference? target)
    {
        if (target is null)
        {
            Add(FieldError.Required(path));
            return;
        }

        Required(path.Child("kind"), target.Kind);
        Required(path.Child("name"), target.Name);
    }

    private void Patch(string path, PatchAction? patch)
    {
        if (patch is null)
        {
            return;
        }

        if (patch.Target is null)
        {
            Add(FieldError.Required(path.Child("target")));
        }
        else
        {
            Required(path.Child("target").Child("kind"), patch.Target.Kind);
        }

        Enum(path.Child("type"), patch.Type, PatchTypes.Merge, PatchTypes.Json6902);
        Required(path.Child("patch"), patch.Patch);
    }

    private void Http(string path, HttpAction? http)
    {
        if (http is null)
        {
            return;
        }

        if (string.IsNullOrEmpty(http.Url))
        {
            Add(FieldError.Required(path.Child("url")));
        }
        else if (!Uri.TryCreate(http.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            Add(FieldError.Invalid(path.Child("url"), Q(http.Url), "must be an absolute http or https URL"));
        }

        Enum(path.Child("method"), http.Method, HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete, HttpMethods.Head);
        if (http.BodyFrom is { } bodyFrom)
        {
            Required(path.Child("bodyFrom").Child("name"), bodyFrom.Name);
        }

        for (var i = 0; i < (http.HeadersFrom?.Count ?? 0); i++)
        {
            Required(path.Child("headersFrom").Index(i).Child("name"), http.HeadersFrom![i].Name);
        }

        for (var i = 0; i < (http.ExpectedStatus?.Count ?? 0); i++)
        {
            var code = http.ExpectedStatus![i];
            if (code is < 100 or > 599)
            {
                Add(FieldError.Invalid(path.Child("expectedStatus").Index(i), code.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "must be an HTTP status code between 100 and 599"));
            }
        }
    }

    private void Wait(string path, WaitAction? wait)
    {
        if (wait is null)
        {
            return;
        }

        if (wait.Target is { } target)
        {
            ObjectReference(path.Child("target"), target);
        }

        Expression(path.Child("expr"), wait.Expr, ExpressionUse.WaitCondition);
    }
}
