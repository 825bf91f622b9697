using StageSet.Engine.Health;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Health;

public sealed class StatusReaderTests
{
    private static readonly DateTimeOffset Now = KStatusVectors.Now;
    private static readonly ObjectIdentity Sts = new("apps", "StatefulSet", "db", "pg");

    private static readonly string InProgressSts = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: pg, namespace: db, generation: 1}
        spec: {replicas: 2, selector: {matchLabels: {app: pg}}}
        status: {observedGeneration: 1, replicas: 2, readyReplicas: 1, currentReplicas: 2}
        """;

    [Fact]
    public void A_crash_looping_pod_turns_an_in_progress_statefulset_failed()
    {
        var crashing = VectorYaml.Parse("""
            apiVersion: v1
            kind: Pod
            metadata: {name: pg-1, namespace: db}
            status:
              phase: Running
              containerStatuses: [{name: postgres, state: {waiting: {reason: CrashLoopBackOff}}}]
            """);
        var healthy = VectorYaml.Parse("""
            apiVersion: v1
            kind: Pod
            metadata: {name: pg-0, namespace: db}
            status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
            """);

        var status = StatusReader.Read(Sts, LiveRead.Found(VectorYaml.Parse(InProgressSts), [healthy, crashing]), Now);

        Assert.Equal(ObjectStatus.Failed, status.Status);
        Assert.Equal("1 pods have failed", status.Message);
    }

    [Fact]
    public void Healthy_pods_leave_the_statefulset_in_progress_with_kstatus_message()
    {
        var status = StatusReader.Read(Sts, LiveRead.Found(VectorYaml.Parse(InProgressSts), []), Now);

        Assert.Equal(ObjectStatus.InProgress, status.Status);
        Assert.Equal("Ready: 1/2", status.Message);
    }

    [Fact]
    public void A_failed_pod_listing_makes_a_pod_controller_unknown()
    {
        var status = StatusReader.Read(Sts, LiveRead.FoundWithoutPods(VectorYaml.Parse(InProgressSts), "no selector found"), Now);

        Assert.Equal(ObjectStatus.Unknown, status.Status);
        Assert.Equal("no selector found", status.Error);
    }

    [Fact]
    public void Pods_are_only_consulted_for_statefulsets_and_replicasets()
    {
        Assert.True(StatusReader.TracksPods(new GroupKind("apps", "StatefulSet")));
        Assert.True(StatusReader.TracksPods(new GroupKind("apps", "ReplicaSet")));
        Assert.False(StatusReader.TracksPods(new GroupKind("apps", "Deployment")));
        Assert.False(StatusReader.TracksPods(new GroupKind("apps", "DaemonSet")));
    }

    [Theory]
    [InlineData("status: {conditions: invalid}", ".status.conditions: expected an array, got string")]
    [InlineData("status: {conditions: [{type: Ready, status: true}]}", ".status.conditions[0].status: expected a string, got bool")]
    [InlineData("status: oops", ".status: expected an object, got string")]
    [InlineData("metadata: {name: x, generation: one}\nstatus: {observedGeneration: 1}", "metadata.generation")]
    public void A_malformed_object_is_unknown_with_the_field_named(string yamlTail, string expectedError)
    {
        var obj = VectorYaml.Parse("apiVersion: example.com/v1\nkind: Widget\n" + yamlTail);

        var status = StatusReader.Read(new ObjectIdentity("example.com", "Widget", "", "x"), LiveRead.Found(obj), Now);

        Assert.Equal(ObjectStatus.Unknown, status.Status);
        Assert.Contains(expectedError, status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_pod_phase_is_unknown_not_a_crash()
    {
        var pod = VectorYaml.Parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus: {phase: Exploding}");

        var status = StatusReader.Read(new ObjectIdentity("", "Pod", "", "p"), LiveRead.Found(pod), Now);

        Assert.Equal(ObjectStatus.Unknown, status.Status);
        Assert.Equal("unknown phase Exploding", status.Error);
    }

    [Fact]
    public void An_unschedulable_pod_gets_fifteen_seconds_before_it_fails()
    {
        var pod = VectorYaml.Parse("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p, creationTimestamp: "2025-03-14T15:09:00Z"}
            status: {phase: Pending, conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]}
            """);
        var created = new DateTimeOffset(2025, 3, 14, 15, 9, 0, TimeSpan.Zero);

        Assert.Equal(ObjectStatus.InProgress, KStatus.Compute(pod, created.AddSeconds(14)).Status);
        Assert.Equal(ObjectStatus.Failed, KStatus.Compute(pod, created.AddSeconds(15)).Status);
    }

    [Fact]
    public void The_flux_job_reader_skips_the_generic_checks_as_flux_does()
    {
        var terminatingJob = VectorYaml.Parse("""
            apiVersion: batch/v1
            kind: Job
            metadata: {name: j, namespace: n, deletionTimestamp: "2025-01-01T00:00:00Z"}
            status: {conditions: [{type: Complete, status: "True"}], succeeded: 1}
            """);

        Assert.Equal(ObjectStatus.Terminating, KStatus.Compute(terminatingJob, Now).Status);
        Assert.Equal(ObjectStatus.Current,
            StatusReader.Read(new ObjectIdentity("batch", "Job", "n", "j"), LiveRead.Found(terminatingJob), Now).Status);
    }
}
