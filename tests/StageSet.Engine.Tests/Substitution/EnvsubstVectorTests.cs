using System.Text.Json.Nodes;
using StageSet.Engine.Substitution;
using StageSet.Testing;

namespace StageSet.Engine.Tests.Substitution;

/// <summary>fluxcd/pkg envsubst's own tables (eval, parse and helper cases), transcribed in the shared test data.</summary>
public sealed class EnvsubstVectorTests
{
    private static readonly JsonObject Vectors =
        JsonNode.Parse(File.ReadAllText(TestPaths.TestData("envsubst", "fluxcd-pkg-envsubst.transcribed.json")))!.AsObject();

    public static TheoryData<int> EvalCases() => Indexes("eval");

    public static TheoryData<int> ParseCases() => Indexes("parse");

    public static TheoryData<int> HelperCases() => new(Enumerable.Range(0, Vectors["helper_functions"]!["cases"]!.AsArray().Count));

    private static TheoryData<int> Indexes(string key) => new(Enumerable.Range(0, Vectors[key]!.AsArray().Count));

    [Fact]
    public void The_tables_have_the_transcribed_sizes()
    {
        Assert.Equal(57, Vectors["eval"]!.AsArray().Count);
        Assert.Equal(44, Vectors["parse"]!.AsArray().Count);
        Assert.Equal(17, Vectors["helper_functions"]!["cases"]!.AsArray().Count);
    }

    [Theory]
    [MemberData(nameof(EvalCases))]
    public void Eval_case(int index)
    {
        var c = Vectors["eval"]![index]!.AsObject();
        var strict = (string)c["mode"]! == "strict";
        var vars = c["vars"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value!);
        var input = (string)c["input"]!;
        if (!strict)
        {
            // Upstream's non-strict lookup reports every name as set (missing = empty).
            foreach (var name in Names(EnvsubstParser.Parse(input)).Where(n => !vars.ContainsKey(n)))
            {
                vars[name] = "";
            }
        }

        // Upstream writes a nil error as the string "nil".
        if (c["error"] is JsonValue error && (string)error! != "nil")
        {
            var e = Assert.Throws<SubstitutionException>(() => Envsubst.Evaluate(input, vars, strict));
            Assert.Equal((string)error! == "errVarNotSet" ? "variable not set (strict mode): \"missing\"" : (string)error!, e.Message);
        }
        else
        {
            Assert.Equal((string)c["output"]!, Envsubst.Evaluate(input, vars, strict));
        }
    }

    [Theory]
    [MemberData(nameof(ParseCases))]
    public void Parse_case(int index)
    {
        var c = Vectors["parse"]![index]!.AsObject();
        var expected = Flatten(c["ast"]!);
        var actual = Flatten(ToAst(EnvsubstParser.Parse((string)c["input"]!)));
        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(HelperCases))]
    public void Helper_case(int index)
    {
        var c = Vectors["helper_functions"]!["cases"]![index]!.AsObject();
        var args = c["args"]!.AsArray().Select(a => (string)a!).ToList();
        var vars = new Dictionary<string, string> { ["v"] = args[0] };
        string? expression = (string)c["fn"]! switch
        {
            "toLen" => "${#v}",
            "toLower" => "${v,,}",
            "toLowerFirst" => "${v,}",
            "toUpper" => "${v^^}",
            "toUpperFirst" => "${v^}",
            "toDefault" => "${v:=" + string.Concat(args.Skip(1)) + "}",
            // Negative offsets cannot be written as ${v:-3} (that is the default operator), so call the helper.
            "toSubstr" => null,
            var fn => throw new InvalidOperationException("unknown helper " + fn),
        };
        // A null "want" means only "must not throw": the helper returns its empty input.
        var actual = expression is null ? Envsubst.Substring(args[0], args[1..]) : Envsubst.Evaluate(expression, vars);
        Assert.Equal((string?)c["want"] ?? args[0], actual);
    }

    private static IEnumerable<string> Names(EnvsubstNode node) => node switch
    {
        FuncNode f => f.Args.SelectMany(Names).Append(f.Param),
        ListNode l => l.Nodes.SelectMany(Names),
        _ => [],
    };

    private static JsonNode ToAst(EnvsubstNode node) => node switch
    {
        TextNode t => new JsonObject { ["text"] = t.Value },
        ListNode l => new JsonObject { ["list"] = new JsonArray([.. l.Nodes.Select(ToAst)]) },
        FuncNode f => new JsonObject
        {
            ["func"] = WithOptional(new JsonObject { ["param"] = f.Param }, f),
        },
        _ => throw new InvalidOperationException(),
    };

    private static JsonObject WithOptional(JsonObject func, FuncNode f)
    {
        if (f.Op.Length > 0)
        {
            func["name"] = f.Op;
        }

        if (f.Args.Count > 0)
        {
            func["args"] = new JsonArray([.. f.Args.Select(ToAst)]);
        }

        return func;
    }

    /// <summary>Upstream nests lists right-recursively; compare the flat sequence of nodes instead.</summary>
    private static JsonNode Flatten(JsonNode node)
    {
        if (node["list"] is JsonArray list)
        {
            var flat = new JsonArray();
            foreach (var child in list)
            {
                var f = Flatten(child!);
                if (f["list"] is JsonArray inner)
                {
                    foreach (var x in inner)
                    {
                        flat.Add(x!.DeepClone());
                    }
                }
                else
                {
                    flat.Add(f.DeepClone());
                }
            }

            return new JsonObject { ["list"] = flat };
        }

        if (node["func"] is JsonObject func && func["args"] is JsonArray args)
        {
            var copy = func.DeepClone().AsObject();
            copy["args"] = new JsonArray([.. args.Select(a => Flatten(a!).DeepClone())]);
            return new JsonObject { ["func"] = copy };
        }

        return node.DeepClone();
    }
}
