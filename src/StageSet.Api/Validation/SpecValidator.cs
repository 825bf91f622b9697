using System.Text.RegularExpressions;
using StageSet.Manifests.Schema;

namespace StageSet.Api.Validation;

/// <summary>One run of ValidateSpec: walks the spec once and collects every violation in document order.</summary>
internal sealed partial class SpecValidator(StageSetSpec spec, string stageSetNamespace, IExpressionChecker expressions)
{
    private const string Spec = "spec";
    private const int MaxStageNameLength = 63;

    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    private IReadOnlyList<Stage> Stages => spec.Stages ?? [];

    public void Validate()
    {
        Enum(Spec.Child("onTimeout"), spec.OnTimeout, TimeoutActions.Hold, TimeoutActions.Rollback);
        Enum(Spec.Child("windowScope"), spec.WindowScope, WindowScopes.Updates, WindowScopes.All);
        ValidateStages();
        ValidateDependencies();
        ValidateKubeConfig();
        ValidateDecryption();
        ValidateVersion();
        ValidateMigrations();
        ValidateOnRollback();
        ValidateWindows();
    }

    private void Add(FieldError error) => _errors.Add(error);

    private void Required(string path, string? value, string detail = "")
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(FieldError.Required(path, detail));
        }
    }

    private void Enum(string path, string? value, params string[] allowed)
    {
        if (!string.IsNullOrEmpty(value) && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Add(FieldError.NotSupported(path, FieldError.Quote(value), allowed));
        }
    }

    private static string Q(string value) => FieldError.Quote(value);

    private void ValidateStages()
    {
        var stagesPath = Spec.Child("stages");
        if (Stages.Count == 0)
        {
            Add(FieldError.Required(stagesPath, "at least one stage is required"));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Stages.Count; i++)
        {
            var stage = Stages[i];
            var path = stagesPath.Index(i);
            StageName(path.Child("name"), stage.Name, names);
            Source(path.Child("sourceRef"), stage.SourceRef);
            Enum(path.Child("onTimeout"), stage.OnTimeout, TimeoutActions.Hold, TimeoutActions.Rollback);
            Patches(path.Child("patches"), stage.Patches);
            PostBuild(path.Child("postBuild"), stage.PostBuild);
            ConflictPolicy(path.Child("conflictPolicy"), stage.ConflictPolicy);
            ReadyChecks(path.Child("readyChecks"), stage.ReadyChecks);
            StageActions(path.Child("actions"), stage.Actions);
        }

        MigrationAnchors(stagesPath);
    }

    private void StageName(string path, string? name, HashSet<string> seen)
    {
        if (string.IsNullOrEmpty(name))
        {
            Add(FieldError.Required(path));
            return;
        }

        if (name.Length > MaxStageNameLength || !DnsLabel().IsMatch(name))
        {
            Add(FieldError.Invalid(path, Q(name),
                $"a stage name must be at most {MaxStageNameLength} lower case alphanumeric characters or '-', starting and ending with an alphanumeric character (e.g. 'web' or 'db-migrate')"));
        }
        else if (!seen.Add(name))
        {
            Add(FieldError.Duplicate(path, Q(name)));
        }
    }

    /// <summary>Stage names and migration anchors share one namespace, but only when migrations are in use.</summary>
    private void MigrationAnchors(string stagesPath)
    {
        if (spec.Migrations is not { Count: > 0 } && spec.MigrationsSourceRef is null)
        {
            return;
        }

        var keys = new HashSet<string>(Stages.Where(s => !string.IsNullOrEmpty(s.Name)).Select(s => s.Name), StringComparer.Ordinal);
        for (var i = 0; i < Stages.Count; i++)
        {
            var anchor = Stages[i].MigrationAnchor;
            if (string.IsNullOrEmpty(anchor))
            {
                continue;
            }

            if (!keys.Add(anchor))
            {
                Add(new FieldError(FieldErrorType.Duplicate, stagesPath.Index(i).Child("migrationAnchor"), Q(anchor),
                    "stage names and migration anchors must be unique together"));
            }
        }
    }

    private void Source(string path, SourceReference? source)
    {
        if (source is null)
        {
            Add(FieldError.Required(path));
            return;
        }

        Required(path.Child("name"), source.Name);
        if (source.IsProducer && string.IsNullOrEmpty(source.ApiVersion))
        {
            Add(FieldError.Required(path.Child("apiVersion"),
                $"apiVersion is required when kind is the producer kind {Q(source.EffectiveKind)} (only ExternalArtifact, GitRepository, OCIRepository and Bucket default to {SourceKinds.FluxSourceApiVersion})"));
        }
    }

    private void Patches(string path, IReadOnlyList<KustomizePatch>? patches)
    {
        for (var i = 0; i < (patches?.Count ?? 0); i++)
        {
            Required(path.Index(i).Child("patch"), patches![i].Patch);
        }
    }

    private void PostBuild(string path, PostBuild? postBuild)
    {
        var refs = postBuild?.SubstituteFrom ?? [];
        for (var i = 0; i < refs.Count; i++)
        {
            var item = path.Child("substituteFrom").Index(i);
            Required(item.Child("kind"), refs[i].Kind);
            Enum(item.Child("kind"), refs[i].Kind, SubstituteKinds.ConfigMap, SubstituteKinds.Secret);
            Required(item.Child("name"), refs[i].Name);
        }
    }

    private void ConflictPolicy(string path, ConflictPolicy? policy)
    {
        if (policy is null)
        {
            return;
        }

        string[] actions = [ConflictActions.Fail, ConflictActions.Recreate, ConflictActions.KeepExisting];
        Enum(path.Child("default"), policy.Default, actions);
        for (var i = 0; i < (policy.Rules?.Count ?? 0); i++)
        {
            var rule = policy.Rules![i];
            var item = path.Child("rules").Index(i);
            Required(item.Child("action"), rule.Action);
            Enum(item.Child("action"), rule.Action, actions);
        }
    }

    private void ReadyChecks(string path, ReadyChecks? checks)
    {
        if (checks is null)
        {
            return;
        }

        for (var i = 0; i < (checks.Checks?.Count ?? 0); i++)
        {
            var item = path.Child("checks").Index(i);
            Required(item.Child("kind"), checks.Checks![i].Kind);
            Required(item.Child("name"), checks.Checks[i].Name);
        }

        for (var i = 0; i < (checks.Exprs?.Count ?? 0); i++)
        {
            var expr = checks.Exprs![i];
            var item = path.Child("exprs").Index(i);
            Required(item.Child("apiVersion"), expr.ApiVersion);
            Required(item.Child("kind"), expr.Kind);
            Expression(item.Child("current"), expr.Current, ExpressionUse.ReadyCheck);
            Expression(item.Child("inProgress"), expr.InProgress, ExpressionUse.ReadyCheck);
            Expression(item.Child("failed"), expr.Failed, ExpressionUse.ReadyCheck);
        }
    }

    private void Expression(string path, string? expression, ExpressionUse use)
    {
        if (string.IsNullOrEmpty(expression))
        {
            return;
        }

        if (expressions.Check(expression, use) is { } problem)
        {
            Add(FieldError.Invalid(path, Q(expression), problem));
        }
    }

    private void ValidateDependencies()
    {
        var deps = spec.DependsOn ?? [];
        for (var i = 0; i < deps.Count; i++)
        {
            var path = Spec.Child("dependsOn").Index(i);
            Required(path.Child("name"), deps[i].Name);
            SemanticVersion(path.Child("minVersion"), deps[i].MinVersion);
        }
    }

    private void ValidateKubeConfig()
    {
        if (spec.KubeConfig is not { } kubeConfig)
        {
            return;
        }

        var path = Spec.Child("kubeConfig");
        if ((kubeConfig.SecretRef is null) == (kubeConfig.ConfigMapRef is null))
        {
            Add(FieldError.Invalid(path, null, KubeConfigReference.ExactlyOneMessage));
        }

        if (kubeConfig.SecretRef is { } secret)
        {
            Required(path.Child("secretRef").Child("name"), secret.Name);
        }

        if (kubeConfig.ConfigMapRef is { } configMap)
        {
            Required(path.Child("configMapRef").Child("name"), configMap.Name);
        }
    }

    private void ValidateDecryption()
    {
        if (spec.Decryption is not { } decryption)
        {
            return;
        }

        var path = Spec.Child("decryption");
        Required(path.Child("provider"), decryption.Provider);
        Enum(path.Child("provider"), decryption.Provider, DecryptionProviders.Sops);
        if (decryption.SecretRef is { } secret)
        {
            Required(path.Child("secretRef").Child("name"), secret.Name);
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
