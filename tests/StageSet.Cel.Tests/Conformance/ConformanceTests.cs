using StageSet.Testing;
using Xunit.Abstractions;

namespace StageSet.Cel.Tests.Conformance;

/// <summary>
/// Runs every case of the cel-spec "simple" conformance suite. Cases that need protobuf messages are skipped (and
/// counted as skipped). A file fails the test when fewer cases pass than its recorded minimum.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>Passed-case minimums per file: the counts reached when they were recorded; they may only go up.</summary>
    private static readonly Dictionary<string, int> MinimumPassed = new(StringComparer.Ordinal)
    {
        ["basic"] = 43,
        ["bindings_ext"] = 8,
        ["block_ext"] = 25,
        ["comparisons"] = 334,
        ["conversions"] = 109,
        ["dynamic"] = 0,
        ["encoders_ext"] = 4,
        ["enums"] = 0,
        ["fields"] = 60,
        ["fp_math"] = 30,
        ["integer_math"] = 64,
        ["lists"] = 39,
        ["logic"] = 30,
        ["macros"] = 44,
        ["macros2"] = 46,
        ["math_ext"] = 199,
        ["namespace"] = 14,
        ["network_ext"] = 69,
        ["optionals"] = 59,
        ["parse"] = 193,
        ["plumbing"] = 5,
        ["proto2"] = 0,
        ["proto2_ext"] = 0,
        ["proto3"] = 0,
        ["string"] = 51,
        ["string_ext"] = 213,
        ["timestamps"] = 78,
        ["type_deductions"] = 26,
        ["wrappers"] = 0,
    };

    [Fact]
    public void Every_conformance_file_passes_at_least_its_recorded_count()
    {
        var dir = TestPaths.TestData("cel-spec");
        var results = Directory.GetFiles(dir, "*.textproto").Order(StringComparer.Ordinal)
            .SelectMany(f => ConformanceSuite.Load(f).Select(ConformanceSuite.Run))
            .ToList();
        var shortfalls = new List<string>();
        foreach (var file in results.GroupBy(r => r.Case.File))
        {
            var passed = file.Count(r => r.Outcome == Outcome.Passed);
            var failed = file.Count(r => r.Outcome == Outcome.Failed);
            var skipped = file.Count(r => r.Outcome == Outcome.Skipped);
            output.WriteLine($"{file.Key}: {passed} passed / {failed} failed / {skipped} skipped");
            foreach (var f in file.Where(r => r.Outcome == Outcome.Failed))
            {
                output.WriteLine($"  FAIL {f.Case}: {f.Case.Expr} -> {f.Detail}");
            }

            foreach (var reason in file.Where(r => r.Outcome == Outcome.Skipped).GroupBy(r => r.Detail).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"  skipped {reason.Count()}: {reason.Key}");
            }

            if (passed < MinimumPassed.GetValueOrDefault(file.Key))
            {
                shortfalls.Add($"{file.Key}: {passed} passed, minimum {MinimumPassed[file.Key]}");
            }
        }

        // A file that vanished or no longer parses must not pass by having no cases.
        shortfalls.AddRange(MinimumPassed.Keys.Except(results.Select(r => r.Case.File)).Select(f => f + ": no cases loaded"));

        var total = results.Count(r => r.Outcome == Outcome.Passed);
        var totalFailed = results.Count(r => r.Outcome == Outcome.Failed);
        output.WriteLine($"{total} passed, {totalFailed} failed ({results.Count(r => r.Outcome == Outcome.Skipped)} skipped)");
        Assert.Empty(shortfalls);
    }
}
