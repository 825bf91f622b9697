using StageSet.Engine.Health;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Health;

public sealed class HealthWaitTests
{
    private static readonly ObjectIdentity Web = new("apps", "Deployment", "shop", "web");
    private static readonly ObjectIdentity Crd = new("apiextensions.k8s.io", "CustomResourceDefinition", "", "widgets.example.com");
    private static readonly ObjectIdentity Job = new("batch", "Job", "shop", "migrate");

    [Fact]
    public void An_empty_or_all_current_set_is_ready()
    {
        Assert.Equal(WaitState.Ready, HealthWait.Check([]).State);
        Assert.Equal(WaitState.Ready, HealthWait.Check([new ResourceStatus(Web, ObjectStatus.Current, "ok")]).State);
    }

    [Theory]
    [InlineData(ObjectStatus.InProgress)]
    [InlineData(ObjectStatus.Unknown)]
    [InlineData(ObjectStatus.NotFound)]
    [InlineData(ObjectStatus.Terminating)]
    public void Anything_short_of_current_without_a_failure_keeps_waiting(ObjectStatus other)
    {
        var check = HealthWait.Check([new ResourceStatus(Web, ObjectStatus.Current, ""), new ResourceStatus(Job, other, "")]);

        Assert.Equal(WaitState.Waiting, check.State);
        Assert.Null(check.Cause);
    }

    [Fact]
    public void A_failed_object_stops_the_wait_with_flux_wording_naming_only_the_failures()
    {
        var check = HealthWait.Check([
            new ResourceStatus(Web, ObjectStatus.InProgress, "Ready: 0/1"),
            new ResourceStatus(Job, ObjectStatus.Failed, "Job Failed. failed: 1/1"),
            new ResourceStatus(Crd, ObjectStatus.Failed, "names not accepted"),
        ]);

        Assert.Equal(WaitState.Stalled, check.State);
        Assert.Equal(
            "failed early due to stalled resources: [Job/shop/migrate status: 'Failed', CustomResourceDefinition/widgets.example.com status: 'Failed']",
            check.Cause);
    }

    [Fact]
    public void The_timeout_cause_lists_every_object_not_current_with_read_errors()
    {
        var statuses = new[]
        {
            new ResourceStatus(Crd, ObjectStatus.Current, ""),
            new ResourceStatus(Web, ObjectStatus.InProgress, "Ready: 0/1"),
            new ResourceStatus(Job, ObjectStatus.Unknown, "", "forbidden"),
        };

        Assert.Equal(
            "timeout waiting for: [Deployment/shop/web status: 'InProgress', Job/shop/migrate status: 'Unknown': forbidden]",
            HealthWait.TimeoutCause(statuses));
    }

    [Fact]
    public void After_the_deadline_only_a_failed_object_ends_progress_unreadable_ones_do_not()
    {
        Assert.True(HealthWait.StillProgressing([
            new ResourceStatus(Web, ObjectStatus.InProgress, ""),
            new ResourceStatus(Job, ObjectStatus.Unknown, "", "connection refused"),
        ]));
        Assert.False(HealthWait.StillProgressing([
            new ResourceStatus(Web, ObjectStatus.InProgress, ""),
            new ResourceStatus(Job, ObjectStatus.Failed, ""),
        ]));
    }
}
