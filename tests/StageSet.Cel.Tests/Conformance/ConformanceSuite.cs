using System.Globalization;
using System.Text.RegularExpressions;
using StageSet.Cel.Syntax;

namespace StageSet.Cel.Tests.Conformance;

/// <summary>One test of a cel-spec SimpleTestFile.</summary>
internal sealed record ConformanceCase(string File, string Section, string Name, TextMessage Message)
{
    public string Expr => Message.String("expr") ?? "";

    public override string ToString() => $"{File}/{Section}/{Name}";
}

internal enum Outcome
{
    Passed,
    Failed,
    Skipped,
}

internal sealed record CaseResult(ConformanceCase Case, Outcome Outcome, string Detail);

/// <summary>Loads the conformance files and runs their cases against <see cref="CelEnvironment"/>.</summary>
internal static partial class ConformanceSuite
{
    public static IReadOnlyList<ConformanceCase> Load(string path)
    {
        var file = TextFormatParser.Parse(File.ReadAllText(path));
        var fileName = file.String("name") ?? Path.GetFileNameWithoutExtension(path);
        var cases = new List<ConformanceCase>();
        foreach (var section in file.Messages("section"))
        {
            var sectionName = section.String("name") ?? "";
            foreach (var test in section.Messages("test"))
            {
                cases.Add(new ConformanceCase(fileName, sectionName, test.String("name") ?? "", test));
            }
        }

        return cases;
    }

    /// <summary>Why a case needs protobuf messages (which this implementation does not have), or null.</summary>
    public static string? ProtoRequirement(ConformanceCase c)
    {
        var text = c.Message.ToString();
        var m = ProtoMention().Match(text);
        if (m.Success)
        {
            return "needs protobuf message support (" + m.Value + ")";
        }

        if (Parser.Parse(c.Expr).Root is { } root && ConstructsMessage(root))
        {
            return "needs protobuf message construction";
        }

        return null;
    }

    private static bool ConstructsMessage(Expr e) => e switch
    {
        StructExpr => true,
        SelectExpr s => ConstructsMessage(s.Operand),
        CallExpr c => (c.Target is not null && ConstructsMessage(c.Target)) || c.Args.Any(ConstructsMessage),
        ListExpr l => l.Elements.Any(ConstructsMessage),
        MapExpr m => m.Entries.Any(en => ConstructsMessage(en.Key) || ConstructsMessage(en.Value)),
        ComprehensionExpr c => new[] { c.IterRange, c.AccuInit, c.LoopCondition, c.LoopStep, c.Result }.Any(ConstructsMessage),
        _ => false,
    };

    [GeneratedRegex(@"TestAllTypes|TestRequired|NestedTestAllTypes|GlobalEnum|NestedEnum|cel\.expr\.conformance|google\.protobuf\.(?!Timestamp\b|Duration\b)[A-Z]\w*|google\.type\.\w+|enum_value|\bwrapper\b|well_known: (?!TIMESTAMP|DURATION)\w+")]
    private static partial Regex ProtoMention();

    public static CaseResult Run(ConformanceCase c)
    {
        if (ProtoRequirement(c) is { } reason)
        {
            return new CaseResult(c, Outcome.Skipped, reason);
        }

        try
        {
            return RunCase(c);
        }
        catch (Exception e) when (e is NotSupportedException or FormatException)
        {
            return new CaseResult(c, Outcome.Failed, "harness: " + e.Message);
        }
    }

    private static CaseResult RunCase(ConformanceCase c)
    {
        var t = c.Message;
        var env = CelEnvironment.Default.WithTypeChecking(!t.Bool("disable_check"));
        if (t.String("container") is { } container)
        {
            env = env.WithContainer(container);
        }

        foreach (var decl in t.Messages("type_env"))
        {
            env = Declare(env, decl);
        }

        var compilation = env.Compile(c.Expr, enableMacros: !t.Bool("disable_macros"));
        var expectsError = t.Has("eval_error") || t.Has("any_eval_errors");
        if (!compilation.Success)
        {
            return new CaseResult(c, Outcome.Failed, "compile: " + compilation.Error);
        }

        var program = compilation.Program!;
        if (t.Message("typed_result") is { } typed && typed.Message("deduced_type") is { } deduced)
        {
            var expectedType = ValueConversion.ToType(deduced);
            if (!program.ResultType.Equals(expectedType))
            {
                return new CaseResult(c, Outcome.Failed, $"deduced type {program.ResultType}, expected {expectedType}");
            }
        }

        if (t.Bool("check_only"))
        {
            return new CaseResult(c, Outcome.Passed, "");
        }

        var bindings = new Dictionary<string, CelValue>(StringComparer.Ordinal);
        foreach (var b in t.Messages("bindings"))
        {
            var key = b.String("key")!;
            var exprValue = b.Message("value")!;
            bindings[key] = exprValue.Message("value") is { } v
                ? ValueConversion.ToValue(v)
                : new CelError(exprValue.Message("error")?.ToString() ?? "error binding");
        }

        var result = program.Evaluate(CelActivation.FromValues(bindings));
        if (expectsError)
        {
            return result is CelError
                ? new CaseResult(c, Outcome.Passed, "")
                : new CaseResult(c, Outcome.Failed, $"expected an error, got {result}");
        }

        if (t.Has("unknown") || t.Has("any_unknowns"))
        {
            return result is CelUnknown
                ? new CaseResult(c, Outcome.Passed, "")
                : new CaseResult(c, Outcome.Failed, $"expected unknown, got {result}");
        }

        var expectedMessage = t.Message("value") ?? t.Message("typed_result")?.Message("result");
        var expected = expectedMessage is null ? CelBool.True : ValueConversion.ToValue(expectedMessage);
        return ValueConversion.Matches(expected, result)
            ? new CaseResult(c, Outcome.Passed, "")
            : new CaseResult(c, Outcome.Failed, $"expected {expected}, got {result}");
    }

    private static CelEnvironment Declare(CelEnvironment env, TextMessage decl)
    {
        var name = decl.String("name")!;
        if (decl.Message("ident") is { } ident)
        {
            return env.WithVariable(name, ValueConversion.ToType(ident.Message("type")!));
        }

        foreach (var overload in decl.Message("function")?.Messages("overloads") ?? [])
        {
            var parameters = overload.Messages("params").Select(ValueConversion.ToType).ToList();
            var result = overload.Message("result_type") is { } r ? ValueConversion.ToType(r) : CelType.Dyn;
            var id = overload.String("overload_id") ?? name + "_" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            env = env.WithFunction(name, new CelFunctionOverload(id, overload.Bool("is_instance_function"), parameters, result,
                _ => new CelError("declared for checking only: " + name)));
        }

        return env;
    }
}
