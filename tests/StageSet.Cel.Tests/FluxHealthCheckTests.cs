using System.Text.Json.Nodes;
using StageSet.Testing;

namespace StageSet.Cel.Tests;

/// <summary>The transcribed fluxcd/pkg runtime/cel cases: health check evaluation and the CEL expression API.</summary>
public sealed class FluxHealthCheckTests
{
    private static readonly JsonObject Cases = (JsonObject)JsonNode.Parse(
        File.ReadAllText(TestPaths.TestData("kstatus", "fluxcd-pkg-cel-healthchecks.transcribed.json")))!;

    private static CelHealthCheckExpressions Exprs(JsonNode? node) => new(
        (string?)node?["current"], (string?)node?["inProgress"], (string?)node?["failed"]);

    public static TheoryData<string> Names(string table) =>
        [.. ((JsonArray)Cases[table]!).Select((c, i) => $"{i}: {(string?)c!["name"]}")];

    private static JsonObject Case(string table, string name) => (JsonObject)Cases[table]![int.Parse(name[..name.IndexOf(':')])]!;

    [Theory]
    [MemberData(nameof(Names), "new_status_evaluator")]
    public void Creating_a_health_check_validates_the_expressions(string name)
    {
        var c = Case("new_status_evaluator", name);
        var expected = (string?)c["expected_error_contains"];
        if (expected is null)
        {
            Assert.NotNull(CelHealthCheck.ForFlux(Exprs(c["healthCheckExprs"])));
        }
        else
        {
            var e = Assert.Throws<CelExpressionException>(() => CelHealthCheck.ForFlux(Exprs(c["healthCheckExprs"])));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Names), "evaluate")]
    public void Evaluating_a_health_check_matches_flux(string name)
    {
        var c = Case("evaluate", name);
        var result = CelHealthCheck.ForFlux(Exprs(c["healthCheckExprs"])).Evaluate((JsonObject)c["object"]!);
        AssertResult(c, result);
    }

    private static void AssertResult(JsonObject c, CelHealthResult result)
    {
        if ((string?)c["expected_error_contains"] is { } error)
        {
            Assert.Null(result.Status);
            Assert.Contains(error, result.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(result.Error);
            Assert.Equal((string?)c["expected_result"]!["status"], result.Status.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Names), "status_reader_read_status")]
    public void Reading_status_of_a_configmap_matches_flux(string name)
    {
        var c = Case("status_reader_read_status", name);
        var result = CelHealthCheck.ForFlux(Exprs(c["healthCheckExprs"])).Evaluate((JsonObject)c["object"]!);
        Assert.Equal((string)c["expected_status"]!, result.Status.ToString());
    }

    [Theory]
    [MemberData(nameof(Names), "status_reader_supports")]
    public void Health_checks_are_selected_by_group_and_kind(string name)
    {
        var c = Case("status_reader_supports", name);
        var set = CelHealthCheckSet.Create(
            [new CelHealthCheckEntry((string)c["healthcheck_apiVersion"]!, (string)c["healthcheck_kind"]!, new("true"))],
            CelHealthCheck.ForFlux);
        var gk = c["query_group_kind"]!;
        Assert.Equal((bool)c["expected_supported"]!, set.Supports((string)gk["group"]!, (string)gk["kind"]!));
    }

    [Fact]
    public void Group_only_health_checks_cover_every_kind_of_the_group_and_specific_kinds_win()
    {
        foreach (var scenario in (JsonArray)Cases["status_reader_group_only"]!)
        {
            var entries = ((JsonArray)scenario!["healthchecks"]!).Select(h => new CelHealthCheckEntry(
                (string)h!["apiVersion"]!, (string?)h["kind"] ?? "", Exprs(h))).ToList();
            var set = CelHealthCheckSet.Create(entries, CelHealthCheck.ForFlux);
            foreach (var o in (JsonArray)scenario["objects"]!)
            {
                var obj = (JsonObject)o!.DeepClone();
                var result = set.Evaluate(obj);
                if ((string?)o["expected_error_contains"] is { } error)
                {
                    Assert.Contains(error, result.Error, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal((string)o["expected_status"]!, result.Status.ToString());
                }
            }
        }
    }

    [Fact]
    public void Duplicate_and_invalid_health_checks_are_rejected_with_flux_wording()
    {
        var dup = Assert.Throws<CelExpressionException>(() => CelHealthCheckSet.Create(
            [new("test/v1", "Test", new("true")), new("test/v2", "Test", new("false"))], CelHealthCheck.ForFlux));
        Assert.Contains("duplicate custom health check for GroupKind", dup.Message, StringComparison.Ordinal);
        Assert.Contains("healthchecks[1]", dup.Message, StringComparison.Ordinal);

        var bad = Assert.Throws<CelExpressionException>(() => CelHealthCheckSet.Create(
            [new("test/v1", "Test", new("data."))], CelHealthCheck.ForFlux));
        Assert.Contains("failed to create custom status evaluator for healthchecks[0]", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sealed_secret_lifecycle_goes_unknown_then_in_progress_current_and_failed()
    {
        var life = Cases["lifecycle_sealedsecret"]!;
        var check = CelHealthCheck.ForFlux(Exprs(life["healthCheckExprs"]));
        const long generation = 3;
        foreach (var step in (JsonArray)life["steps"]!)
        {
            var obj = new JsonObject
            {
                ["apiVersion"] = "bitnami.com/v1alpha1",
                ["kind"] = "SealedSecret",
                ["metadata"] = new JsonObject { ["name"] = "s", ["generation"] = generation },
            };
            if (step!["object_status"] is JsonObject status)
            {
                var s = (JsonObject)status.DeepClone();
                s["observedGeneration"] = (string?)status["observedGeneration"] == "<generation - 1>" ? generation - 1 : generation;
                obj["status"] = s;
            }

            var result = check.Evaluate(obj);
            var expected = (string)step["expected_status"]!;
            if (expected == "Unknown")
            {
                Assert.NotNull(result.Error);
            }
            else
            {
                Assert.Equal(expected, result.Status.ToString());
            }
        }
    }

    public static TheoryData<string> ExpressionCases()
    {
        var data = new TheoryData<string>();
        foreach (var (table, cases) in (JsonObject)Cases["expression_api"]!["tables"]!)
        {
            var i = 0;
            foreach (var c in (JsonArray)cases!)
            {
                data.Add($"{table}/{i++}: {(string?)c!["name"]}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExpressionCases))]
    public void Expression_api_matches_flux_results_and_error_texts(string name)
    {
        var table = name[..name.IndexOf('/')];
        var index = int.Parse(name[(table.Length + 1)..name.IndexOf(':')]);
        var c = Cases["expression_api"]!["tables"]![table]![index]!;
        var expectedError = (string?)c["err"];
        try
        {
            var expression = CelExpression.Create((string)c["expr"]!, Options(c["opts"]));
            var data = (JsonObject?)c["data"]?.DeepClone() ?? [];
            object? result = table switch
            {
                "TestNewExpression" => null,
                "TestExpression_EvaluateBoolean" => expression.EvaluateBoolean(data),
                "TestExpression_EvaluateString" => expression.EvaluateString(data),
                "TestExpression_EvaluateStringSlice" => new JsonArray([.. expression.EvaluateStringSlice(data).Select(s => (JsonNode)s)]),
                _ => expression.Evaluate(data),
            };
            Assert.Null(expectedError);
            if (c["result"] is { } expected)
            {
                var actual = result switch
                {
                    JsonNode n => n,
                    bool b => JsonValue.Create(b),
                    string s => JsonValue.Create(s),
                    _ => null,
                };
                Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}, got {actual?.ToJsonString()}");
            }
        }
        catch (CelExpressionException e) when (expectedError is not null)
        {
            Assert.Contains(expectedError, e.Message, StringComparison.Ordinal);
        }
    }

    private static CelExpressionOptions Options(JsonNode? opts)
    {
        var options = new CelExpressionOptions();
        foreach (var o in (JsonArray?)opts ?? [])
        {
            var text = (string)o!;
            if (text == "WithCompile()")
            {
                options = options with { Compile = true };
            }
            else if (text.StartsWith("WithStructVariables(", StringComparison.Ordinal))
            {
                var names = text["WithStructVariables(".Length..^1].Split(',').Select(n => n.Trim().Trim('"')).ToList();
                options = options with { StructVariables = names };
            }
            else if (text == "WithOutputType(celgo.BoolType)")
            {
                options = options with { OutputType = CelType.Bool };
            }
            else
            {
                throw new NotSupportedException(text);
            }
        }

        return options;
    }
}
