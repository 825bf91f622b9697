using System.Globalization;
using StageSet.Api.Versions;
using StageSet.Manifests.Schema;

namespace StageSet.Api.Validation;

internal sealed partial class SpecValidator
{
    private const int MaxMigrations = 200;
    private const int MaxMigrationActions = 100;

    private void SemanticVersion(string path, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !LooseSemver.TryParse(value.Trim(), out _))
        {
            Add(FieldError.Invalid(path, Q(value), LooseSemver.InvalidMessage));
        }
    }

    private string StageList => string.Join(", ", Stages.Select(s => Q(s.Name)));

    private bool IsStage(string name) => Stages.Any(s => s.Name == name);

    private void ValidateVersion()
    {
        if (spec.Version is not { } version)
        {
            return;
        }

        var path = Spec.Child("version");
        var set = new List<string>(3);
        if (!string.IsNullOrEmpty(version.Value))
        {
            set.Add("value");
        }

        if (version.FromObject is not null)
        {
            set.Add("fromObject");
        }

        if (version.FromArtifact is not null)
        {
            set.Add("fromArtifact");
        }

        if (set.Count == 0)
        {
            Add(FieldError.Required(path, "exactly one of value, fromObject and fromArtifact must be set"));
        }
        else if (set.Count > 1)
        {
            Add(FieldError.Invalid(path, Q(string.Join(", ", set)), "exactly one of value, fromObject and fromArtifact must be set"));
        }

        if (!string.IsNullOrEmpty(version.Value) && !LooseSemver.TryParse(version.Value.Trim(), out _))
        {
            Add(FieldError.Invalid(path.Child("value"), Q(version.Value), LooseSemver.InvalidMessage));
        }

        if (version.FromObject is { } fromObject)
        {
            var objectPath = path.Child("fromObject");
            if (!string.IsNullOrEmpty(fromObject.Stage) && !IsStage(fromObject.Stage))
            {
                Add(FieldError.Invalid(objectPath.Child("stage"), Q(fromObject.Stage), "must name one of the stages: " + StageList));
            }

            Required(objectPath.Child("kind"), fromObject.Kind);
            Required(objectPath.Child("name"), fromObject.Name);
        }

        if (version.FromArtifact is { } fromArtifact)
        {
            var artifactPath = path.Child("fromArtifact");
            if (string.IsNullOrEmpty(fromArtifact.Stage))
            {
                Add(FieldError.Required(artifactPath.Child("stage")));
            }
            else if (!IsStage(fromArtifact.Stage))
            {
                Add(FieldError.Invalid(artifactPath.Child("stage"), Q(fromArtifact.Stage), "must name one of the stages: " + StageList));
            }

            Required(artifactPath.Child("path"), fromArtifact.Path);
        }
    }

    private void ValidateMigrations()
    {
        var migrationsPath = Spec.Child("migrations");
        var hasInline = spec.Migrations is { Count: > 0 };
        if (hasInline && spec.Version is null)
        {
            Add(FieldError.Forbidden(migrationsPath, "migrations need spec.version to be set"));
        }

        if (spec.MigrationsSourceRef is { } source)
        {
            var path = Spec.Child("migrationsSourceRef");
            if (hasInline)
            {
                Add(FieldError.Forbidden(path, "may not be set together with spec.migrations"));
            }

            if (spec.Version is null)
            {
                Add(FieldError.Forbidden(path, "a migration ladder needs spec.version to be set"));
            }

            Source(path.Child("sourceRef"), source.SourceRef);
            if (source.SourceRef?.Namespace is { Length: > 0 } ns && ns != stageSetNamespace)
            {
                Add(FieldError.Invalid(path.Child("sourceRef").Child("namespace"), Q(ns),
                    $"must be the StageSet's own namespace ({Q(stageSetNamespace)}); leave it empty"));
            }
        }

        if (hasInline)
        {
            Ladder(spec.Migrations!, migrationsPath);
        }
    }

    /// <summary>The rules every migration ladder follows, inline or sourced.</summary>
    public void Ladder(IReadOnlyList<Migration> ladder, string path)
    {
        if (ladder.Count > MaxMigrations)
        {
            Add(FieldError.TooMany(path, ladder.Count, MaxMigrations));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ladder.Count; i++)
        {
            var migration = ladder[i];
            var item = path.Index(i);
            if (string.IsNullOrEmpty(migration.Name))
            {
                Add(FieldError.Required(item.Child("name")));
            }
            else if (!names.Add(migration.Name))
            {
                Add(FieldError.Duplicate(item.Child("name"), Q(migration.Name)));
            }

            if (string.IsNullOrEmpty(migration.To))
            {
                Add(FieldError.Required(item.Child("to"), "the boundary version"));
            }
            else if (!LooseSemver.TryParse(migration.To.Trim(), out _))
            {
                Add(FieldError.Invalid(item.Child("to"), Q(migration.To), LooseSemver.InvalidMessage));
            }

            From(item.Child("from"), migration.From);
            if (!string.IsNullOrEmpty(migration.Stage) && !Stages.Any(s => s.Name == migration.Stage || s.MigrationAnchor == migration.Stage))
            {
                Add(FieldError.Invalid(item.Child("stage"), Q(migration.Stage), "must name a stage or a stage's migrationAnchor: " + StageList));
            }

            MigrationActions(item.Child("actions"), migration.Actions);
            MigrationActions(item.Child("down"), migration.Down);
        }
    }

    private void From(string path, string? from)
    {
        if (string.IsNullOrEmpty(from))
        {
            return;
        }

        if (SemverConstraint.IsBareVersion(from))
        {
            var bare = from.Trim();
            Add(FieldError.Invalid(path, Q(from), $"a bare version is not a constraint; write \">={bare}\" or \"={bare}\""));
        }
        else if (!SemverConstraint.TryParse(from, out _, out var error))
        {
            Add(FieldError.Invalid(path, Q(from), error + " (a semantic version constraint such as \">=1.2.0, <2.0.0\" or \"1.x\")"));
        }
    }

    private void MigrationActions(string path, IReadOnlyList<StageAction>? actions)
    {
        if (actions is null)
        {
            return;
        }

        if (actions.Count > MaxMigrationActions)
        {
            Add(FieldError.TooMany(path, actions.Count, MaxMigrationActions));
        }

        ActionList(path, actions, ActionSite.Migration, new HashSet<string>(StringComparer.Ordinal));
    }

    private static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);
}
