using System.Text.Json.Nodes;

namespace StageSet.Cel.Tests;

public sealed class CelApiTests
{
    private static readonly JsonObject Deployment = (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"prod","generation":4,"labels":{"app":"web"}},
         "spec":{"replicas":3,"ratio":0.5},
         "status":{"observedGeneration":4,"replicas":3,
                   "conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"},
                                 {"type":"Ready","status":"True"}]}}
        """)!;

    private static CelValue Eval(string expr, JsonObject? obj = null) =>
        CelProgram.Compile(expr, CelEnvironment.KubernetesObject).Evaluate(CelActivation.FromKubernetesObject(obj ?? Deployment));

    [Fact]
    public void Undeclared_reference_names_position_like_cel_go()
    {
        var c = CelEnvironment.KubernetesObject.Compile("status.x || statuss.ready");
        Assert.False(c.Success);
        Assert.Equal("ERROR: <input>:1:13: undeclared reference to 'statuss' (in container '')\n | status.x || statuss.ready\n | ............^", c.Error);
        Assert.Equal(new CelIssue("undeclared reference to 'statuss' (in container '')", 1, 13), Assert.Single(c.Issues));
    }

    [Fact]
    public void Syntax_errors_name_line_and_column_on_multi_line_input()
    {
        var c = CelEnvironment.KubernetesObject.Compile("status.ready &&\n  metadata.");
        Assert.StartsWith("ERROR: <input>:2:12: Syntax error: no viable alternative at input '.'", c.Error, StringComparison.Ordinal);
        Assert.Throws<CelCompileException>(() => CelProgram.Compile("1 +", CelEnvironment.Default));
    }

    [Fact]
    public void Kubernetes_object_fields_are_variables_and_a_missing_status_is_an_empty_map()
    {
        Assert.Equal(CelBool.True, Eval("status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')"));
        Assert.Equal(CelBool.True, Eval("apiVersion == 'apps/v1' && kind == 'Deployment' && metadata.labels.app == 'web'"));
        var bare = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } };
        Assert.Equal(CelBool.False, Eval("has(status.conditions)", bare));
        Assert.Equal(CelBool.True, Eval("spec == {} && kind == ''", bare));
        var missing = Assert.IsType<CelError>(Eval("status.conditions.size() > 0", bare));
        Assert.Equal("no such key: conditions", missing.Message);
    }

    [Fact]
    public void Json_numbers_map_like_kubernetes_integers_to_int_and_others_to_double()
    {
        Assert.Equal(CelBool.True, Eval("type(spec.replicas) == int && type(spec.ratio) == double"));
        Assert.Equal(CelBool.True, Eval("spec.replicas == 3 && spec.ratio == 0.5 && spec.replicas == 3.0"));
        var big = new JsonObject { ["spec"] = JsonNode.Parse("""{"n": 1e300, "m": 18446744073709551616}""") };
        Assert.Equal(CelBool.True, Eval("type(spec.n) == double && type(spec.m) == double", big));
    }

    [Fact]
    public void Result_types_tell_bool_from_dyn_and_from_other_types()
    {
        var env = CelEnvironment.KubernetesObject;
        Assert.Equal(CelType.Bool, env.Compile("status.replicas == 3").Program!.ResultType);
        Assert.Equal(CelType.Dyn, env.Compile("status.ready").Program!.ResultType);
        Assert.True(env.Compile("status.ready").Program!.ResultMayBeBool);
        Assert.Equal(CelType.String, env.Compile("metadata.name + '-x'").Program!.ResultType);
        Assert.False(env.Compile("kind").Program!.ResultMayBeBool);
        Assert.Equal("list(int)", env.Compile("[1, 2].map(x, x * 2)").Program!.ResultType.ToString());
    }

    [Fact]
    public void Custom_variables_such_as_self_and_old_self_can_be_declared()
    {
        var env = CelEnvironment.Default.WithVariable("self", CelType.Dyn).WithVariable("oldSelf", CelType.Dyn);
        var program = CelProgram.Compile("self.replicas >= oldSelf.replicas", env);
        var activation = CelActivation.FromJson(new Dictionary<string, JsonNode?>
        {
            ["self"] = new JsonObject { ["replicas"] = 3 },
            ["oldSelf"] = new JsonObject { ["replicas"] = 5 },
        });
        Assert.Equal(CelBool.False, program.Evaluate(activation));
        var typed = CelEnvironment.Default.WithVariable("self", CelType.Int);
        Assert.Contains("found no matching overload for '_+_' applied to '(int, string)'", typed.Compile("self + 'a'").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Runaway_expressions_stop_at_the_cost_limit_with_a_clear_error()
    {
        Assert.Equal(10_000_000, CelEnvironment.KubernetesObject.CostLimit);
        var env = CelEnvironment.Default.WithCostLimit(5_000);
        var program = CelProgram.Compile("lists.range(100).all(i, lists.range(100).all(j, true))", env);
        var error = Assert.IsType<CelError>(program.Evaluate(CelActivation.Empty));
        Assert.Equal("operation cancelled: actual cost limit exceeded", error.Message);

        // The limit aborts the evaluation: unlike an error value, || cannot absorb it.
        Assert.Equal(CelBool.True, CelProgram.Compile("true || lists.range(100).all(i, lists.range(100).all(j, true))", env).Evaluate(CelActivation.Empty));
        Assert.IsType<CelError>(CelProgram.Compile("lists.range(100).all(i, lists.range(100).all(j, true)) || true", env).Evaluate(CelActivation.Empty));

        // Cost grows with the size of the strings handled, so doubling a string 40 times (a terabyte) is stopped early.
        var doubling = "s39.size()";
        for (var i = 39; i > 0; i--)
        {
            doubling = $"cel.bind(s{i}, s{i - 1} + s{i - 1}, {doubling})";
        }

        doubling = $"cel.bind(s0, 'ab', {doubling})";
        var stopped = Assert.IsType<CelError>(CelProgram.Compile(doubling, CelEnvironment.Default).Evaluate(CelActivation.Empty));
        Assert.Equal("operation cancelled: actual cost limit exceeded", stopped.Message);
    }

    [Fact]
    public void Evaluation_can_be_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var program = CelProgram.Compile("lists.range(10).all(i, true)", CelEnvironment.Default);
        Assert.Equal("operation interrupted", Assert.IsType<CelError>(program.Evaluate(CelActivation.Empty, cts.Token)).Message);
    }

    [Fact]
    public void Programs_are_shareable_across_threads()
    {
        var program = CelProgram.Compile("status.conditions.filter(c, c.status == 'True').map(c, c.type).size()", CelEnvironment.KubernetesObject);
        var results = new CelValue[64];
        Parallel.For(0, results.Length, i => results[i] = program.Evaluate(CelActivation.FromKubernetesObject(Deployment)));
        Assert.All(results, r => Assert.Equal(CelInt.Of(3), r));
    }

    [Fact]
    public void The_program_cache_reuses_compilations_and_stays_bounded()
    {
        var cache = new CelProgramCache(CelEnvironment.KubernetesObject, capacity: 8);
        var first = cache.Compile("status.replicas == 3");
        Assert.Same(first, cache.Compile("status.replicas == 3"));
        Assert.False(cache.Compile("status.").Success);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 100, i =>
        {
            if (cache.Compile($"status.replicas == {i}") is { Success: false } c)
            {
                failures.Add(c.Error!);
            }
        });
        Assert.Empty(failures);
        Assert.InRange(cache.Count, 1, 8);
    }

    [Fact]
    public void Stage_set_health_checks_compile_in_the_object_environment_and_treat_unset_current_as_ready()
    {
        var check = CelHealthCheck.ForKubernetesObject(new(
            Current: "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
            Failed: "status.conditions.exists(c, c.type == 'Stalled' && c.status == 'True')"));
        Assert.Equal(CelHealthStatus.Current, check.Evaluate(Deployment).Status);
        var noStatus = new JsonObject { ["metadata"] = new JsonObject { ["generation"] = 1 } };
        var unknown = check.Evaluate(noStatus);
        Assert.Null(unknown.Status);
        Assert.Contains("no such key: conditions", unknown.Error, StringComparison.Ordinal);

        var onlyFailed = CelHealthCheck.ForKubernetesObject(new(null, Failed: "has(status.error)"));
        Assert.Equal(CelHealthStatus.Current, onlyFailed.Evaluate(noStatus).Status);

        var e = Assert.Throws<CelExpressionException>(() => CelHealthCheck.ForKubernetesObject(new("data.ready")));
        Assert.Contains("undeclared reference to 'data'", e.Message, StringComparison.Ordinal);
        var notBool = Assert.Throws<CelExpressionException>(() => CelHealthCheck.ForKubernetesObject(new("metadata.name + 'x'")));
        Assert.Contains("result type must be bool, got string", notBool.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Results_convert_back_to_json()
    {
        var v = CelProgram.Compile("{'names': status.conditions.map(c, c.type), 'n': 1, 'ok': true, 'r': 0.5}", CelEnvironment.KubernetesObject)
            .Evaluate(CelActivation.FromKubernetesObject(Deployment));
        Assert.Equal("""{"names":["Available","Progressing","Ready"],"n":1,"ok":true,"r":0.5}""", v.ToJson()!.ToJsonString());
    }

    [Fact]
    public void Dynamic_environment_resolves_names_at_evaluation()
    {
        var program = CelProgram.Compile("data.x + 1", CelEnvironment.Dynamic);
        Assert.Equal(CelInt.Of(2), program.Evaluate(CelActivation.FromJsonObject(new JsonObject { ["data"] = new JsonObject { ["x"] = 1 } })));
        Assert.Equal("no such attribute(s): data.x", Assert.IsType<CelError>(program.Evaluate(CelActivation.Empty)).Message);
    }
}
