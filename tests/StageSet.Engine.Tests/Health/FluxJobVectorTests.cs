using System.Text.Json.Nodes;
using StageSet.Engine.Health;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Health;

/// <summary>Flux's Job health rule (fluxcd-pkg-job-status.transcribed.json).</summary>
public sealed class FluxJobVectorTests
{
    private static readonly JsonArray Cases = KStatusVectors.Cases(KStatusVectors.FluxJob, "cases");

    public static TheoryData<string> Names => KStatusVectors.Names(Cases);

    [Fact]
    public void The_vector_file_holds_every_job_case() => Assert.Equal(9, Cases.Count);

    [Theory]
    [MemberData(nameof(Names))]
    public void Job_status_matches_flux(string name)
    {
        var testCase = KStatusVectors.Case(Cases, name);
        var job = KStatusVectors.Object(testCase["object"]!);
        var result = (string?)testCase["function"] == "ComputeJobStatus"
            ? FluxJobStatus.Compute(job)
            : FluxJobStatus.Conditions(job);

        var expected = testCase["expected"]!;
        Assert.Equal((string)expected["status"]!, result.Status.ToString());
        if (expected["message"] is { } message)
        {
            Assert.Equal((string)message!, result.Message);
        }

        if (expected["message_contains"] is { } part)
        {
            Assert.Contains((string)part!, result.Message, StringComparison.Ordinal);
        }

        if (expected["conditions_count"] is { } count)
        {
            Assert.Equal((int)count!, result.Conditions.Count);
        }

        foreach (var c in expected["conditions"]?.AsArray() ?? [])
        {
            Assert.Contains(result.Conditions, r => r.Type == (string)c!["type"]! && r.Reason == (string)c["reason"]!);
        }
    }

    [Fact]
    public void Reader_uses_the_flux_rule_for_jobs_so_a_running_job_is_not_yet_current()
    {
        var running = VectorYaml.Parse("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate, namespace: db, generation: 1}
            status: {startTime: "2025-01-01T00:00:00Z", active: 1}
            """);

        Assert.Equal(ObjectStatus.Current, KStatus.Compute(running, KStatusVectors.Now).Status);
        var status = StatusReader.Read(new ObjectIdentity("batch", "Job", "db", "migrate"), LiveRead.Found(running), KStatusVectors.Now);
        Assert.Equal(ObjectStatus.InProgress, status.Status);
        Assert.Equal("Job in progress. success:0, active: 1, failed: 0", status.Message);
    }

    [Fact]
    public void A_failed_condition_with_a_message_is_quoted_in_the_failure()
    {
        var job = VectorYaml.Parse("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: j}
            spec: {completions: 2}
            status:
              failed: 2
              conditions: [{type: Failed, status: "True", message: Job has reached the specified backoff limit}]
            """);

        var result = FluxJobStatus.Conditions(job);

        Assert.Equal(ObjectStatus.Failed, result.Status);
        Assert.Equal("Job Failed. failed: 2/2 error: Job has reached the specified backoff limit", result.Message);
    }
}
