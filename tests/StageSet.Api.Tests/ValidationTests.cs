using StageSet.Api;
using StageSet.Api.Validation;

namespace StageSet.Api.Tests;

/// <summary>One valid and one invalid case per ValidateSpec rule, asserting the exact field path and message.</summary>
public class ValidationTests
{
    private static Stage StageNamed(string name) => new() { Name = name, SourceRef = new SourceReference { Name = name } };

    private static readonly StageSetSpec Valid = new() { Stages = [StageNamed("app"), StageNamed("db")] };

    private static StageAction Job(string name) => new() { Name = name, Job = new JobAction { SourceRef = new SourceReference { Name = "jobs" } } };

    private static List<string> Errors(StageSetSpec spec, IExpressionChecker? checker = null) =>
        StageSetValidation.ValidateSpec(spec, "apps", checker).Select(e => e.ToString()).ToList();

    private static StageSetSpec WithStage(Stage stage) => Valid with { Stages = [stage, StageNamed("db")] };

    private static StageSetSpec WithActions(StageActions actions) => WithStage(StageNamed("app") with { Actions = actions });

    private static StageSetSpec Versioned(StageSetSpec spec) => spec with { Version = new VersionSource { Value = "1.0.0" } };

    [Fact]
    public void A_valid_spec_has_no_violations() => Assert.Empty(Errors(Valid));

    [Fact]
    public void Stages_are_required()
    {
        Assert.Equal(["spec.stages: Required value: at least one stage is required"], Errors(Valid with { Stages = [] }));
    }

    [Theory]
    [InlineData("", "spec.stages[0].name: Required value")]
    [InlineData("Web", "spec.stages[0].name: Invalid value: \"Web\": a stage name must be at most 63 lower case alphanumeric characters or '-', starting and ending with an alphanumeric character (e.g. 'web' or 'db-migrate')")]
    [InlineData("web-", "spec.stages[0].name: Invalid value: \"web-\": a stage name must be at most 63 lower case alphanumeric characters or '-', starting and ending with an alphanumeric character (e.g. 'web' or 'db-migrate')")]
    public void Stage_names_must_be_dns_labels(string name, string error)
    {
        Assert.Equal([error], Errors(WithStage(StageNamed("x") with { Name = name })));
        Assert.Empty(Errors(WithStage(StageNamed(new string('a', 63)))));
        Assert.Single(Errors(WithStage(StageNamed(new string('a', 64)))));
    }

    [Fact]
    public void Stage_names_must_be_unique()
    {
        Assert.Equal(["spec.stages[1].name: Duplicate value: \"app\""], Errors(Valid with { Stages = [StageNamed("app"), StageNamed("app")] }));
    }

    [Fact]
    public void Source_name_is_required()
    {
        Assert.Equal(["spec.stages[0].sourceRef.name: Required value"], Errors(WithStage(StageNamed("app") with { SourceRef = new SourceReference() })));
    }

    [Fact]
    public void Producer_kinds_need_an_api_version()
    {
        var producer = StageNamed("app") with { SourceRef = new SourceReference { Kind = "JsonnetSnippet", Name = "web" } };
        Assert.Equal(
            ["spec.stages[0].sourceRef.apiVersion: Required value: apiVersion is required when kind is the producer kind \"JsonnetSnippet\" (only ExternalArtifact, GitRepository, OCIRepository and Bucket default to source.toolkit.fluxcd.io/v1)"],
            Errors(WithStage(producer)));
        Assert.Empty(Errors(WithStage(producer with { SourceRef = producer.SourceRef with { ApiVersion = "jaas.metio.wtf/v1" } })));
        Assert.Empty(Errors(WithStage(producer with { SourceRef = new SourceReference { Kind = "GitRepository", Name = "repo" } })));
    }

    [Fact]
    public void On_timeout_and_window_scope_are_enums()
    {
        Assert.Equal(
            [
                "spec.onTimeout: Unsupported value: \"Wait\": supported values: \"Hold\", \"Rollback\"",
                "spec.windowScope: Unsupported value: \"Some\": supported values: \"Updates\", \"All\"",
                "spec.stages[0].onTimeout: Unsupported value: \"hold\": supported values: \"Hold\", \"Rollback\"",
            ],
            Errors(WithStage(StageNamed("app") with { OnTimeout = "hold" }) with { OnTimeout = "Wait", WindowScope = "Some" }));
        Assert.Empty(Errors(WithStage(StageNamed("app") with { OnTimeout = "Rollback" }) with { OnTimeout = "Hold", WindowScope = "All" }));
    }

    [Fact]
    public void Migration_anchors_share_the_stage_name_space_when_migrations_are_used()
    {
        var spec = Versioned(Valid with { Stages = [StageNamed("app") with { MigrationAnchor = "db" }, StageNamed("db")] });
        Assert.Empty(Errors(spec));
        var withLadder = spec with { Migrations = [new Migration { Name = "m", To = "2.0.0", Actions = [Job("j")] }] };
        Assert.Equal(["spec.stages[0].migrationAnchor: Duplicate value: \"db\": stage names and migration anchors must be unique together"], Errors(withLadder));
    }

    [Fact]
    public void Ready_check_references_need_kind_and_name()
    {
        var checks = new ReadyChecks { Checks = [new NamespacedObjectKindReference { ApiVersion = "apps/v1" }, new NamespacedObjectKindReference { Kind = "Deployment", Name = "web" }] };
        Assert.Equal(
            ["spec.stages[0].readyChecks.checks[0].kind: Required value", "spec.stages[0].readyChecks.checks[0].name: Required value"],
            Errors(WithStage(StageNamed("app") with { ReadyChecks = checks })));
    }

    [Fact]
    public void Ready_check_expressions_must_compile()
    {
        var exprs = new ReadyChecks { Exprs = [new CustomHealthCheck { ApiVersion = "db.example/v1", Kind = "Database", Current = "status.phase == 'Running'", Failed = "status.phase ==" }] };
        var spec = WithStage(StageNamed("app") with { ReadyChecks = exprs });
        Assert.Equal(
            ["spec.stages[0].readyChecks.exprs[0].failed: Invalid value: \"status.phase ==\": syntax error: unexpected end of input"],
            Errors(spec, new FakeCompiler()));
        Assert.Equal(["spec.stages[0].readyChecks.exprs[0].apiVersion: Required value", "spec.stages[0].readyChecks.exprs[0].kind: Required value"],
            Errors(WithStage(StageNamed("app") with { ReadyChecks = new ReadyChecks { Exprs = [new CustomHealthCheck()] } })));
    }

    [Fact]
    public void Action_names_are_required_and_unique_across_pre_post_and_on_failure()
    {
        var actions = new StageActions { Pre = [Job("migrate"), Job("")], Post = [Job("smoke")], OnFailure = [Job("migrate")] };
        Assert.Equal(
            [
                "spec.stages[0].actions.pre[1].name: Required value",
                "spec.stages[0].actions.onFailure[0].name: Duplicate value: \"migrate\": action names must be unique across a stage's pre, post and onFailure actions",
            ],
            Errors(WithActions(actions)));
        Assert.Empty(Errors(WithActions(actions with { Pre = [Job("migrate")], OnFailure = [Job("cleanup")] })));
    }

    [Fact]
    public void Exactly_one_verb_per_action()
    {
        var none = new StageAction { Name = "nothing" };
        var two = Job("two") with { Wait = new WaitAction { Duration = Duration.FromSeconds(5) } };
        Assert.Equal(
            [
                "spec.stages[0].actions.pre[0]: Required value: exactly one of patch, http, wait, job, delete or apply must be set",
                "spec.stages[0].actions.pre[1]: Invalid value: \"wait, job\": exactly one of patch, http, wait, job, delete or apply must be set",
            ],
            Errors(WithActions(new StageActions { Pre = [none, two] })));
    }

    [Fact]
    public void Scope_only_on_pre_and_post_and_version_needs_spec_version()
    {
        var actions = new StageActions { Pre = [Job("a") with { Scope = "Version" }], Post = [Job("b") with { Scope = "Forever" }], OnFailure = [Job("c") with { Scope = "Revision" }] };
        Assert.Equal(
            [
                "spec.stages[0].actions.pre[0].scope: Invalid value: \"Version\": scope Version needs spec.version to be set",
                "spec.stages[0].actions.post[0].scope: Unsupported value: \"Forever\": supported values: \"Revision\", \"Version\"",
                "spec.stages[0].actions.onFailure[0].scope: Forbidden: scope is only allowed on a stage's pre and post actions, not on onFailure",
            ],
            Errors(WithActions(actions)));
        Assert.Empty(Errors(Versioned(WithActions(new StageActions { Pre = [Job("a") with { Scope = "Version" }], Post = [Job("b") with { Scope = "Revision" }] }))));
    }

    [Fact]
    public void Retries_are_bounded()
    {
        Assert.Equal(["spec.stages[0].actions.pre[0].retries: Invalid value: 101: must be between 0 and 100"],
            Errors(WithActions(new StageActions { Pre = [Job("a") with { Retries = 101 }] })));
        Assert.Empty(Errors(WithActions(new StageActions { Pre = [Job("a") with { Retries = 100 }] })));
    }

    [Fact]
    public void Http_actions_need_an_http_url_a_known_method_and_real_status_codes()
    {
        var http = new StageAction { Name = "gate", Http = new HttpAction { Url = "ftp://files.internal/x", Method = "FETCH", ExpectedStatus = [200, 42], HeadersFrom = [new SecretKeyReference()] } };
        Assert.Equal(
            [
                "spec.stages[1].actions.pre[0].http.url: Invalid value: \"ftp://files.internal/x\": must be an absolute http or https URL",
                "spec.stages[1].actions.pre[0].http.method: Unsupported value: \"FETCH\": supported values: \"GET\", \"POST\", \"PUT\", \"PATCH\", \"DELETE\", \"HEAD\"",
                "spec.stages[1].actions.pre[0].http.headersFrom[0].name: Required value",
                "spec.stages[1].actions.pre[0].http.expectedStatus[1]: Invalid value: 42: must be an HTTP status code between 100 and 599",
            ],
            Errors(Valid with { Stages = [StageNamed("db"), StageNamed("app") with { Actions = new StageActions { Pre = [http] } }] }));
        var ok = http with { Http = new HttpAction { Url = "https://payments.internal/healthz", ExpectedStatus = [200] } };
        Assert.Empty(Errors(WithActions(new StageActions { Post = [ok] })));
        Assert.Equal(["spec.stages[0].actions.post[0].http.url: Required value"],
            Errors(WithActions(new StageActions { Post = [ok with { Http = new HttpAction() }] })));
    }

    [Fact]
    public void Patch_delete_job_and_apply_verbs_need_their_targets()
    {
        var actions = new StageActions
        {
            Pre =
            [
                new StageAction { Name = "p", Patch = new PatchAction { Target = new PatchTarget(), Type = "strategic" } },
                new StageAction { Name = "d", Delete = new DeleteAction { Target = new NamespacedObjectKindReference { Kind = "Job" }, Cascade = "Now" } },
                new StageAction { Name = "j", Job = new JobAction() },
                new StageAction { Name = "a", Apply = new ApplyAction { SourceRef = new SourceReference { Kind = "JsonnetSnippet", Name = "page" } } },
            ],
        };
        Assert.Equal(
            [
                "spec.stages[0].actions.pre[0].patch.target.kind: Required value",
                "spec.stages[0].actions.pre[0].patch.type: Unsupported value: \"strategic\": supported values: \"merge\", \"json6902\"",
                "spec.stages[0].actions.pre[0].patch.patch: Required value",
                "spec.stages[0].actions.pre[1].delete.target.name: Required value",
                "spec.stages[0].actions.pre[1].delete.cascade: Unsupported value: \"Now\": supported values: \"Background\", \"Foreground\", \"Orphan\"",
                "spec.stages[0].actions.pre[2].job.sourceRef.name: Required value",
                "spec.stages[0].actions.pre[3].apply.sourceRef.apiVersion: Required value: apiVersion is required when kind is the producer kind \"JsonnetSnippet\" (only ExternalArtifact, GitRepository, OCIRepository and Bucket default to source.toolkit.fluxcd.io/v1)",
            ],
            Errors(WithActions(actions)));
        var valid = new StageActions
        {
            Pre =
            [
                new StageAction { Name = "p", Patch = new PatchAction { Target = new PatchTarget { Kind = "Service", Name = "web" }, Patch = "{}" } },
                new StageAction { Name = "d", Delete = new DeleteAction { Target = new NamespacedObjectKindReference { Kind = "Job", Name = "old" }, Cascade = "Orphan" } },
            ],
        };
        Assert.Empty(Errors(WithActions(valid)));
    }

    [Fact]
    public void Wait_expressions_must_compile()
    {
        var wait = new StageAction { Name = "w", Wait = new WaitAction { Target = new NamespacedObjectKindReference { Kind = "Deployment", Name = "web" }, Expr = "status.readyReplicas >=" } };
        Assert.Equal(["spec.stages[0].actions.post[0].wait.expr: Invalid value: \"status.readyReplicas >=\": syntax error: unexpected end of input"],
            Errors(WithActions(new StageActions { Post = [wait] }), new FakeCompiler()));
        Assert.Empty(Errors(WithActions(new StageActions { Post = [wait with { Wait = wait.Wait! with { Expr = "status.readyReplicas >= 3" } }] }), new FakeCompiler()));
    }

    [Fact]
    public void On_rollback_actions_have_one_verb_unique_names_and_no_scope()
    {
        var spec = Valid with { OnRollback = [Job("lift"), Job("lift") with { Scope = "Revision" }, new StageAction { Name = "x" }] };
        Assert.Equal(
            [
                "spec.onRollback[1].name: Duplicate value: \"lift\": action names must be unique within the list",
                "spec.onRollback[1].scope: Forbidden: scope is only allowed on a stage's pre and post actions, not on onRollback",
                "spec.onRollback[2]: Required value: exactly one of patch, http, wait, job, delete or apply must be set",
            ],
            Errors(spec));
        Assert.Empty(Errors(Valid with { OnRollback = [Job("lift")] }));
    }

    [Fact]
    public void Windows_need_a_type_and_one_form()
    {
        var spec = Valid with
        {
            UpdateWindows =
            [
                new UpdateWindow { Schedule = "0 9 * * *", Duration = Duration.FromHours(8) },
                new UpdateWindow { Type = "Block", Schedule = "0 9 * * *", Duration = Duration.FromHours(8), From = DateTimeOffset.UnixEpoch },
                new UpdateWindow { Type = "Deny" },
            ],
        };
        Assert.Equal(
            [
                "spec.updateWindows[0].type: Required value: Allow or Deny",
                "spec.updateWindows[1].type: Unsupported value: \"Block\": supported values: \"Allow\", \"Deny\"",
                "spec.updateWindows[1]: Invalid value: a window is either recurring (schedule and duration) or absolute (from and to), not both",
                "spec.updateWindows[2]: Required value: set schedule and duration for a recurring window, or from and to for an absolute one",
            ],
            Errors(spec));
    }

    [Fact]
    public void Recurring_windows_need_a_parseable_schedule_a_positive_duration_and_a_known_zone()
    {
        var spec = Valid with
        {
            UpdateWindows =
            [
                new UpdateWindow { Type = "Deny", Schedule = "0 9 * *", Duration = Duration.Parse("0s"), TimeZone = "Europe/Atlantis" },
                new UpdateWindow { Type = "Allow", Duration = Duration.FromHours(1) },
                new UpdateWindow { Type = "Allow", Schedule = "@daily" },
            ],
        };
        Assert.Equal(
            [
                "spec.updateWindows[0].timeZone: Invalid value: \"Europe/Atlantis\": unknown time zone Europe/Atlantis (use an IANA name such as Europe/Berlin)",
                "spec.updateWindows[0].schedule: Invalid value: \"0 9 * *\": expected exactly 5 fields, found 4: [0 9 * *]",
                "spec.updateWindows[0].duration: Invalid value: \"0s\": must be positive",
                "spec.updateWindows[1].schedule: Required value: a recurring window needs a schedule",
                "spec.updateWindows[2].duration: Required value: a recurring window needs a positive duration",
            ],
            Errors(spec));
        Assert.Empty(Errors(Valid with
        {
            UpdateWindows = [new UpdateWindow { Type = "Deny", Schedule = "0 9 * * MON-FRI", Duration = Duration.Parse("8h"), TimeZone = "Europe/Berlin" }],
        }));
    }

    [Fact]
    public void Absolute_windows_need_from_before_to()
    {
        var from = new DateTimeOffset(2026, 12, 24, 0, 0, 0, TimeSpan.Zero);
        var spec = Valid with
        {
            UpdateWindows = [new UpdateWindow { Type = "Deny", From = from, To = from }, new UpdateWindow { Type = "Deny", To = from }],
        };
        Assert.Equal(
            [
                "spec.updateWindows[0].to: Invalid value: \"2026-12-24T00:00:00Z\": must be after from (2026-12-24T00:00:00Z)",
                "spec.updateWindows[1].from: Required value: an absolute window needs from and to",
            ],
            Errors(spec));
        Assert.Empty(Errors(Valid with { UpdateWindows = [new UpdateWindow { Type = "Deny", From = from, To = from.AddDays(3) }] }));
    }

    [Fact]
    public void Version_needs_exactly_one_source()
    {
        Assert.Equal(["spec.version: Required value: exactly one of value, fromObject and fromArtifact must be set"],
            Errors(Valid with { Version = new VersionSource() }));
        Assert.Equal(["spec.version: Invalid value: \"value, fromArtifact\": exactly one of value, fromObject and fromArtifact must be set"],
            Errors(Valid with { Version = new VersionSource { Value = "1.0.0", FromArtifact = new ArtifactVersionRef { Stage = "app", Path = "VERSION" } } }));
    }

    [Fact]
    public void Version_value_is_a_loose_semantic_version()
    {
        Assert.Equal(["spec.version.value: Invalid value: \"latest\": must be a semantic version such as 1.2.3 (a leading v and a missing patch number are accepted)"],
            Errors(Valid with { Version = new VersionSource { Value = "latest" } }));
        Assert.Empty(Errors(Valid with { Version = new VersionSource { Value = " v2.1 " } }));
    }

    [Fact]
    public void Version_sources_name_existing_stages()
    {
        Assert.Equal(
            [
                "spec.version.fromObject.stage: Invalid value: \"web\": must name one of the stages: \"app\", \"db\"",
                "spec.version.fromObject.name: Required value",
            ],
            Errors(Valid with { Version = new VersionSource { FromObject = new ObjectVersionRef { Stage = "web", Kind = "Deployment" } } }));
        Assert.Equal(["spec.version.fromArtifact.stage: Required value", "spec.version.fromArtifact.path: Required value"],
            Errors(Valid with { Version = new VersionSource { FromArtifact = new ArtifactVersionRef() } }));
        Assert.Empty(Errors(Valid with { Version = new VersionSource { FromObject = new ObjectVersionRef { Kind = "Deployment", Name = "web" } } }));
    }

    [Fact]
    public void Migrations_need_a_version_and_exclude_a_sourced_ladder()
    {
        var ladder = new List<Migration> { new() { Name = "m", To = "2.0.0", Actions = [Job("j")] } };
        var source = new MigrationsSource { SourceRef = new SourceReference { Name = "ladder", Namespace = "other" } };
        Assert.Equal(
            [
                "spec.migrations: Forbidden: migrations need spec.version to be set",
                "spec.migrationsSourceRef: Forbidden: may not be set together with spec.migrations",
                "spec.migrationsSourceRef: Forbidden: a migration ladder needs spec.version to be set",
                "spec.migrationsSourceRef.sourceRef.namespace: Invalid value: \"other\": must be the StageSet's own namespace (\"apps\"); leave it empty",
            ],
            Errors(Valid with { Migrations = ladder, MigrationsSourceRef = source }));
        Assert.Empty(Errors(Versioned(Valid with { Migrations = ladder })));
        Assert.Empty(Errors(Versioned(Valid with { MigrationsSourceRef = source with { SourceRef = new SourceReference { Name = "ladder", Namespace = "apps" } } })));
    }

    [Fact]
    public void Migration_entries_are_checked()
    {
        var ladder = new List<Migration>
        {
            new() { Name = "a", To = "two", From = "1.2.3", Stage = "web", Actions = [Job("j") with { Scope = "Revision", Retries = 11 }] },
            new() { Name = "a", From = ">>1", Down = [Job("j"), Job("j")] },
            new() { Name = "", To = "3.0.0", From = "1.*", Stage = "app", Actions = [Job("j")], Down = [Job("j")] },
        };
        Assert.Equal(
            [
                "spec.migrations[0].to: Invalid value: \"two\": must be a semantic version such as 1.2.3 (a leading v and a missing patch number are accepted)",
                "spec.migrations[0].from: Invalid value: \"1.2.3\": a bare version is not a constraint; write \">=1.2.3\" or \"=1.2.3\"",
                "spec.migrations[0].stage: Invalid value: \"web\": must name a stage or a stage's migrationAnchor: \"app\", \"db\"",
                "spec.migrations[0].actions[0].scope: Forbidden: scope is only allowed on a stage's pre and post actions, not on migration actions",
                "spec.migrations[0].actions[0].retries: Invalid value: 11: must be between 0 and 10",
                "spec.migrations[1].name: Duplicate value: \"a\"",
                "spec.migrations[1].to: Required value: the boundary version",
                "spec.migrations[1].from: Invalid value: \">>1\": improper constraint: >>1 (a semantic version constraint such as \">=1.2.0, <2.0.0\" or \"1.x\")",
                "spec.migrations[1].down[1].name: Duplicate value: \"j\": action names must be unique within the list",
                "spec.migrations[2].name: Required value",
            ],
            Errors(Versioned(Valid with { Migrations = ladder })));
    }

    [Fact]
    public void Migration_ladders_are_bounded()
    {
        var big = Enumerable.Range(0, 201).Select(i => new Migration { Name = "m" + i, To = $"{i + 1}.0.0" }).ToList();
        Assert.Equal(["spec.migrations: Too many: 201: must have at most 200 items"], Errors(Versioned(Valid with { Migrations = big })));
        var many = new Migration { Name = "m", To = "2.0.0", Actions = Enumerable.Range(0, 101).Select(i => Job("j" + i)).ToList() };
        Assert.Equal(["spec.migrations[0].actions: Too many: 101: must have at most 100 items"], Errors(Versioned(Valid with { Migrations = [many] })));
        var anchored = Valid with { Stages = [StageNamed("app") with { MigrationAnchor = "schema" }] };
        Assert.Empty(Errors(Versioned(anchored with { Migrations = [new Migration { Name = "m", To = "2.0.0", Stage = "schema", Actions = [Job("j")] }] })));
    }

    [Fact]
    public void Sourced_ladders_are_checked_with_the_same_rules()
    {
        var errors = StageSetValidation.ValidateMigrationLadder([new Migration { Name = "m", To = "x" }], Valid, "ladder.yaml").Select(e => e.ToString());
        Assert.Equal(["ladder.yaml[0].to: Invalid value: \"x\": must be a semantic version such as 1.2.3 (a leading v and a missing patch number are accepted)"], errors);
    }

    [Fact]
    public void Dependencies_need_a_name_and_a_semantic_min_version()
    {
        Assert.Equal(
            ["spec.dependsOn[0].name: Required value", "spec.dependsOn[1].minVersion: Invalid value: \"5.x\": must be a semantic version such as 1.2.3 (a leading v and a missing patch number are accepted)"],
            Errors(Valid with { DependsOn = [new Dependency(), new Dependency { Name = "db", MinVersion = "5.x" }] }));
        Assert.Empty(Errors(Valid with { DependsOn = [new Dependency { Name = "db", Namespace = "data", MinVersion = "5.2" }] }));
    }

    [Fact]
    public void Decryption_needs_the_sops_provider()
    {
        Assert.Equal(
            ["spec.decryption.provider: Unsupported value: \"vault\": supported values: \"sops\"", "spec.decryption.secretRef.name: Required value"],
            Errors(Valid with { Decryption = new Decryption { Provider = "vault", SecretRef = new LocalObjectReference() } }));
        Assert.Equal(["spec.decryption.provider: Required value"], Errors(Valid with { Decryption = new Decryption() }));
        Assert.Empty(Errors(Valid with { Decryption = new Decryption { Provider = "sops" } }));
    }

    [Fact]
    public void Kube_config_names_exactly_one_source()
    {
        const string message = "spec.kubeConfig: Invalid value: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified";
        Assert.Equal([message], Errors(Valid with { KubeConfig = new KubeConfigReference() }));
        Assert.Equal([message], Errors(Valid with
        {
            KubeConfig = new KubeConfigReference { SecretRef = new SecretKeyReference { Name = "a" }, ConfigMapRef = new LocalObjectReference { Name = "b" } },
        }));
        Assert.Empty(Errors(Valid with { KubeConfig = new KubeConfigReference { SecretRef = new SecretKeyReference { Name = "prod-eu-kubeconfig" } } }));
    }

    [Fact]
    public void Build_shaping_entries_need_their_required_fields()
    {
        var stage = StageNamed("app") with
        {
            Patches = [new KustomizePatch { Target = new KustomizeSelector { Kind = "Deployment" } }],
            PostBuild = new PostBuild { SubstituteFrom = [new SubstituteReference { Kind = "Vault" }] },
            ConflictPolicy = new ConflictPolicy { Default = "Ignore", Rules = [new ConflictRule { Target = new ConflictTarget { Kind = "Job" } }] },
        };
        Assert.Equal(
            [
                "spec.stages[0].patches[0].patch: Required value",
                "spec.stages[0].postBuild.substituteFrom[0].kind: Unsupported value: \"Vault\": supported values: \"ConfigMap\", \"Secret\"",
                "spec.stages[0].postBuild.substituteFrom[0].name: Required value",
                "spec.stages[0].conflictPolicy.default: Unsupported value: \"Ignore\": supported values: \"Fail\", \"Recreate\", \"KeepExisting\"",
                "spec.stages[0].conflictPolicy.rules[0].action: Required value",
            ],
            Errors(WithStage(stage)));
    }

    [Fact]
    public void All_violations_are_reported_together()
    {
        var spec = new StageSetSpec { Stages = [new Stage(), StageNamed("b") with { OnTimeout = "x" }], DependsOn = [new Dependency()] };
        var errors = StageSetValidation.ValidateSpec(spec, "apps");
        Assert.Equal(4, errors.Count);
        Assert.Equal(
            "[spec.stages[0].name: Required value, spec.stages[0].sourceRef.name: Required value, spec.stages[1].onTimeout: Unsupported value: \"x\": supported values: \"Hold\", \"Rollback\", spec.dependsOn[0].name: Required value]",
            StageSetValidation.Describe(errors));
    }

    [Fact]
    public void Updates_skip_validation_for_deletion_and_suspend_toggles()
    {
        var old = new StageSet { Spec = Valid };
        var suspended = old with { Spec = Valid with { Suspend = true }, Metadata = new ObjectMeta { Annotations = new Dictionary<string, string> { ["a"] = "b" } } };
        Assert.False(StageSetValidation.UpdateNeedsValidation(old, suspended));
        Assert.True(StageSetValidation.UpdateNeedsValidation(old, old with { Spec = Valid with { OnTimeout = "x" } }));
        var deleting = old with { Spec = Valid with { OnTimeout = "x" }, Metadata = new ObjectMeta { DeletionTimestamp = DateTimeOffset.UnixEpoch } };
        Assert.False(StageSetValidation.UpdateNeedsValidation(old, deleting));
    }

    /// <summary>A stand-in compiler for the seam: rejects expressions ending in an operator.</summary>
    private sealed class FakeCompiler : IExpressionChecker
    {
        public string? Check(string expression, ExpressionUse use) =>
            expression.TrimEnd().EndsWith("==", StringComparison.Ordinal) || expression.TrimEnd().EndsWith(">=", StringComparison.Ordinal)
                ? "syntax error: unexpected end of input"
                : null;
    }
}
