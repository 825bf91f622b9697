using System.Text.Json.Nodes;
using StageSet.Manifests.Schema;

namespace StageSet.Api.Validation;

/// <summary>
/// <c>ValidateSpec</c>: the StageSet checks the validating webhook applies on CREATE and UPDATE and the reconciler
/// repeats before every run (a failure there is <c>Ready=False/InvalidSpec</c>). Pure: it reads nothing but the
/// object and returns every violation with its field path, worded like the API server's field errors.
/// </summary>
public static class StageSetValidation
{
    /// <summary>All violations of the StageSet's spec; empty when it is valid. CEL is checked with
    /// <see cref="CelExpressionChecker"/> unless another checker is given.</summary>
    public static IReadOnlyList<FieldError> ValidateSpec(StageSet stageSet, IExpressionChecker? expressions = null) =>
        ValidateSpec(stageSet.Spec, stageSet.Metadata.Namespace ?? "", expressions);

    /// <summary>All violations of <paramref name="spec"/> for a StageSet in <paramref name="stageSetNamespace"/>.</summary>
    public static IReadOnlyList<FieldError> ValidateSpec(StageSetSpec spec, string stageSetNamespace, IExpressionChecker? expressions = null)
    {
        var validator = new SpecValidator(spec, stageSetNamespace, expressions ?? new CelExpressionChecker());
        validator.Validate();
        return validator.Errors;
    }

    /// <summary>
    /// Checks a migration ladder read from an artifact (<c>spec.migrationsSourceRef</c>) with the rules of
    /// <c>spec.migrations</c>; paths start at <paramref name="basePath"/> (for example the ladder file's name).
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateMigrationLadder(IReadOnlyList<Migration> ladder, StageSetSpec spec, string basePath,
        IExpressionChecker? expressions = null)
    {
        var validator = new SpecValidator(spec, "", expressions ?? new CelExpressionChecker());
        validator.Ladder(ladder, basePath);
        return validator.Errors;
    }

    /// <summary>
    /// Whether an UPDATE needs validating: not while the object is being deleted, and not when the spec is
    /// unchanged apart from <c>suspend</c> (so suspending, resuming and metadata edits are never blocked).
    /// </summary>
    public static bool UpdateNeedsValidation(StageSet oldObject, StageSet newObject)
    {
        if (newObject.Metadata.DeletionTimestamp is not null)
        {
            return false;
        }

        return !JsonNode.DeepEquals(SpecWithoutSuspend(oldObject.Spec), SpecWithoutSuspend(newObject.Spec));
    }

    private static JsonObject SpecWithoutSuspend(StageSetSpec spec)
    {
        var json = StageSetJson.ToJsonObject(spec);
        json.Remove("suspend");
        return json;
    }

    /// <summary>The violations as one message, as the webhook denies and InvalidSpec reports them.</summary>
    public static string Describe(IReadOnlyList<FieldError> errors) =>
        errors.Count switch
        {
            0 => "",
            1 => errors[0].ToString(),
            _ => "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]",
        };
}
