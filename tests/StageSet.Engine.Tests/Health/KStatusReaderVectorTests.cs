using System.Text.Json.Nodes;
using StageSet.Engine.Health;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Health;

/// <summary>cli-utils' reader and aggregator cases (cli-utils-kstatus.transcribed.json).</summary>
public sealed class KStatusReaderVectorTests
{
    private static readonly JsonArray DeploymentCases = KStatusVectors.Cases(KStatusVectors.CliUtils, "status_reader_deployment", "cases");
    private static readonly JsonArray GenericCases = KStatusVectors.Cases(KStatusVectors.CliUtils, "status_reader_generic", "cases");
    private static readonly JsonArray AggregateCases = KStatusVectors.Cases(KStatusVectors.CliUtils, "aggregate", "cases");
    private static readonly ObjectIdentity Id = new("apps", "Deployment", "qual", "test");

    public static TheoryData<string> Deployment => KStatusVectors.Names(DeploymentCases);

    public static TheoryData<string> Generic => KStatusVectors.Names(GenericCases);

    public static TheoryData<string> Aggregates => KStatusVectors.Names(AggregateCases);

    [Fact]
    public void The_vector_file_holds_every_reader_and_aggregate_case()
    {
        Assert.Equal(3, DeploymentCases.Count);
        Assert.Equal(5, GenericCases.Count);
        Assert.Equal(4, AggregateCases.Count);
    }

    [Theory]
    [MemberData(nameof(Deployment))]
    public void Deployment_reader_reports_status_message_or_the_read_error(string name)
    {
        var testCase = KStatusVectors.Case(DeploymentCases, name);
        var getError = (string?)testCase["cluster_get_error"];
        var read = getError switch
        {
            null => LiveRead.Found(KStatusVectors.Manifest(testCase)),
            _ when getError.StartsWith("NotFound", StringComparison.Ordinal) => LiveRead.NotFound(),
            _ => LiveRead.Failed(getError),
        };

        var status = StatusReader.Read(Id, read, KStatusVectors.Now);

        if (testCase["expected_error"] is { } expectedError)
        {
            // Go returns the read error to the poller; here it travels with an Unknown status instead.
            Assert.Equal(ObjectStatus.Unknown, status.Status);
            Assert.Equal((string)expectedError!, status.Error);
            return;
        }

        Assert.Equal((string)testCase["expected_status"]!, status.Status.ToString());
        Assert.Equal((string)testCase["expected_message"]!, status.Message);
        Assert.Equal(Id, status.Identity);
    }

    [Theory]
    [MemberData(nameof(Generic))]
    public void Reader_turns_status_function_errors_into_unknown_and_failed_pods_into_failed(string name)
    {
        var testCase = KStatusVectors.Case(GenericCases, name);
        var podController = name.StartsWith("pod_controller", StringComparison.Ordinal);
        var identity = podController ? new ObjectIdentity("apps", "ReplicaSet", "ns", "rs") : new ObjectIdentity("example.com", "Thing", "ns", "t");

        // Stub status function: the owner gets the vector's result or error, each Pod the status it is labelled with.
        StatusResult Compute(JsonObject obj)
        {
            if (obj["podStatus"] is { } podStatus)
            {
                return new StatusResult(Enum.Parse<ObjectStatus>((string)podStatus!), "", []);
            }

            if (testCase["status_func_error"] is { } error)
            {
                throw new KStatusException((string)error!);
            }

            var r = testCase["status_func_result"]!;
            return new StatusResult(Enum.Parse<ObjectStatus>((string)r["status"]!), (string)r["message"]!, []);
        }

        var pods = (testCase["generated_pod_statuses"]?.AsArray() ?? [])
            .Select(s => new JsonObject { ["podStatus"] = (string)s! }).ToList();
        var status = StatusReader.Read(identity, LiveRead.Found(new JsonObject(), pods), Compute);

        Assert.Equal((string)testCase["expected_status"]!, status.Status.ToString());
        if (testCase["status_func_error"] is { } expectedError)
        {
            Assert.Equal((string)expectedError!, status.Error);
        }
    }

    [Theory]
    [MemberData(nameof(Aggregates))]
    public void Aggregate_matches_cli_utils(string name)
    {
        var testCase = KStatusVectors.Case(AggregateCases, name);
        var statuses = testCase["statuses"]!.AsArray().Select(s => Enum.Parse<ObjectStatus>((string)s!));
        var desired = Enum.Parse<ObjectStatus>((string)testCase["desired"]!);

        Assert.Equal((string)testCase["expected"]!, StatusReader.Aggregate(statuses, desired).ToString());
    }
}
