using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StageSet.Api.Crd;
using StageSet.Api.Validation;
using StageSet.Manifests;
using StageSet.Manifests.Schema;
using StageSet.Testing;

namespace StageSet.Api.Tests;

/// <summary>
/// Every StageSet example of the seed documentation (Corpus/*.yaml). Fragments are placed into a minimal StageSet at
/// their "# Anchor:" path; each example must read, validate clean, write back unchanged, and pass the generated CRD.
/// </summary>
public partial class CorpusTests
{
    private static readonly string CorpusDir = TestPaths.Repo("tests", "StageSet.Api.Tests", "Corpus");

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CorpusDir, "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_corpus_holds_every_example_of_the_docs() => Assert.Equal(43, Examples().Count);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_reads_validates_round_trips_and_passes_the_crd(string file)
    {
        var document = Load(file);

        var stageSet = StageSetJson.Deserialize<StageSet>(document);
        Assert.Empty(StageSetValidation.ValidateSpec(stageSet).Select(e => e.ToString()));

        var written = StageSetJson.ToJsonObject(stageSet);
        Assert.True(JsonNode.DeepEquals(document, written), $"round trip changed {file}:\n{document.ToJsonString()}\n{written.ToJsonString()}");

        var schema = StructuralSchema.Create(StageSetCrds.Schema(StageSetCrds.StageSet()), out var violations);
        Assert.Empty(violations);
        var admitted = schema!.Admit(document.DeepClone().AsObject());
        Assert.Empty(admitted.UnknownFields);
        Assert.Empty(admitted.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_crd_rejects_what_the_webhook_and_schema_forbid()
    {
        // Not a doc example: proves the corpus check above can fail.
        var document = Load("02-overview-payments.yaml");
        document["spec"]!["stages"]![0]!["name"] = "Infrastructure";
        document["spec"]!["stages"]![1]!["actions"]!["post"]![0]!["http"]!["expectedStatus"] = new JsonArray(42);
        document["spec"]!["stages"]![1]!["colour"] = "blue";
        var schema = StructuralSchema.Create(StageSetCrds.Schema(StageSetCrds.StageSet()), out _)!;
        var admitted = schema.Admit(document);
        Assert.Equal(["spec.stages[1].colour"], admitted.UnknownFields);
        Assert.Equal(
            [
                "spec.stages[0].name: Invalid value: \"Infrastructure\": spec.stages[0].name in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'",
                "spec.stages[1].actions.post[0].http.expectedStatus[0]: Invalid value: 42: spec.stages[1].actions.post[0].http.expectedStatus[0] in body should be greater than or equal to 100",
            ],
            admitted.Errors.Select(e => e.ToString()));
    }

    private static JsonObject Load(string file)
    {
        var text = File.ReadAllText(Path.Combine(CorpusDir, file));
        Assert.Matches(SourceLine(), text);
        var anchor = AnchorLine().Match(text) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException(file + " has no '# Anchor:' line");
        var fragment = KubeYaml.Parse(text, file) ?? throw new InvalidOperationException(file + " is empty");
        var document = Skeleton();
        if (anchor == "document")
        {
            Merge(document, fragment.AsObject());
        }
        else
        {
            Place(document, anchor, fragment);
        }

        return document;
    }

    private static JsonObject Skeleton() => JsonNode.Parse("""
        {"apiVersion":"stages.metio.wtf/v1","kind":"StageSet","metadata":{"name":"example","namespace":"default"},
         "spec":{"stages":[{"name":"app","sourceRef":{"name":"app"}}]}}
        """)!.AsObject();

    /// <summary>Objects merge key by key (the fragment wins); lists and scalars are replaced.</summary>
    private static void Merge(JsonObject target, JsonObject fragment)
    {
        foreach (var (key, value) in fragment.ToList())
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }

    private static void Place(JsonObject document, string anchor, JsonNode fragment)
    {
        JsonNode parent = document;
        var parts = anchor.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var m = Segment().Match(parts[i]);
            var name = m.Groups[1].Value;
            var last = i == parts.Length - 1;
            if (m.Groups[2].Success)
            {
                parent = parent[name]![int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)]!;
                if (last)
                {
                    Merge(parent.AsObject(), fragment.AsObject());
                }

                continue;
            }

            if (last)
            {
                if (fragment is JsonObject obj && parent[name] is JsonObject existing)
                {
                    Merge(existing, obj);
                }
                else
                {
                    parent[name] = fragment.DeepClone();
                }

                return;
            }

            parent[name] ??= new JsonObject();
            parent = parent[name]!;
        }
    }

    [GeneratedRegex(@"^# Anchor: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex AnchorLine();

    [GeneratedRegex(@"^# Source: seeds/", RegexOptions.Multiline)]
    private static partial Regex SourceLine();

    [GeneratedRegex(@"^([A-Za-z]+)(?:\[(\d+)\])?$")]
    private static partial Regex Segment();
}
