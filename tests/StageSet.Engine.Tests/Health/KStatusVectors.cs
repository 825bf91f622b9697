using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Testing;

namespace StageSet.Engine.Tests.Health;

/// <summary>
/// The kstatus test vectors under <c>../shared/testdata/kstatus</c>, read as they are. Theories take case names so
/// every case shows up as its own test; the placeholders for "now" are filled from <see cref="Now"/>.
/// </summary>
internal static class KStatusVectors
{
    /// <summary>The instant every test passes as "now"; placeholders are rendered relative to it.</summary>
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public static JsonObject CliUtils => Load("cli-utils-kstatus.transcribed.json");

    public static JsonObject FluxJob => Load("fluxcd-pkg-job-status.transcribed.json");

    public static JsonObject GenericRules => Load("kstatus-generic-rules.derived.json");

    public static JsonArray Cases(JsonObject file, params string[] path)
    {
        JsonNode? node = file;
        foreach (var p in path)
        {
            node = node![p];
        }

        return node!.AsArray();
    }

    public static TheoryData<string> Names(JsonArray cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases)
        {
            data.Add((string)c!["name"]!);
        }

        return data;
    }

    public static JsonObject Case(JsonArray cases, string name) =>
        cases.Single(c => (string)c!["name"]! == name)!.AsObject();

    public static string FillPlaceholders(string text) => text
        .Replace("<NOW_MINUS_1_MINUTE_RFC3339>", Rfc3339(Now.AddMinutes(-1)), StringComparison.Ordinal)
        .Replace("<NOW_RFC3339>", Rfc3339(Now), StringComparison.Ordinal)
        .Replace("<NOW>", Rfc3339(Now), StringComparison.Ordinal);

    public static JsonObject Manifest(JsonObject testCase, string field = "manifest_yaml") =>
        VectorYaml.Parse(FillPlaceholders((string)testCase[field]!));

    /// <summary>A JSON object from a vector with its placeholders filled, detached from the vector file.</summary>
    public static JsonObject Object(JsonNode node) => JsonNode.Parse(FillPlaceholders(node.ToJsonString()))!.AsObject();

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Load(string file) =>
        JsonNode.Parse(File.ReadAllText(TestPaths.TestData("kstatus", file)))!.AsObject();
}
