using System.Text.Json.Nodes;

namespace StageSet.Engine.Health;

/// <summary>
/// Flux's Job health rule, which replaces kstatus' for <c>batch/Job</c>: a Job gates only once it has Completed (or is
/// suspended), fails on a <c>Failed=True</c> condition, and is in progress otherwise. Unlike kstatus' Compute it skips
/// the generic deletion/generation checks, exactly as Flux's reader does.
/// </summary>
public static class FluxJobStatus
{
    /// <summary>The rule itself; throws <see cref="KStatusException"/> on a malformed condition list.</summary>
    public static StatusResult Conditions(JsonObject job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (ObjectFields.Bool(job, "spec.suspend") == true)
        {
            return StatusResult.Current("Job is suspended");
        }

        var (parallelism, completions, succeeded, active, failed) = JobCounts.Read(job);

        foreach (var c in ConditionList.Read(job))
        {
            if (c.Type == "Complete" && c.Status == "True")
            {
                return StatusResult.Current($"Job Completed. succeeded: {succeeded}/{completions}");
            }

            if (c.Type == "Failed" && c.Status == "True")
            {
                var message = $"Job Failed. failed: {failed}/{completions}";
                if (c.Message.Length > 0)
                {
                    message += " error: " + c.Message;
                }

                return StatusResult.Failed("JobFailed", message);
            }
        }

        return ObjectFields.Str(job, "status.startTime", "").Length == 0
            ? StatusResult.InProgress("JobNotStarted", $"Job not started. active: 0/{parallelism}")
            : StatusResult.InProgress("JobInProgress", $"Job in progress. success:{succeeded}, active: {active}, failed: {failed}");
    }

    /// <summary>Never throws: a Job that cannot be judged is Unknown, with the reason in the message.</summary>
    public static StatusResult Compute(JsonObject job)
    {
        try
        {
            return Conditions(job);
        }
        catch (KStatusException e)
        {
            return new StatusResult(ObjectStatus.Unknown, "Failed to compute job status: " + e.Message, []);
        }
    }
}

/// <summary>A Job's pod counts with the job controller's defaults (completions default to parallelism, which defaults to 1).</summary>
internal sealed record JobCounts(long Parallelism, long Completions, long Succeeded, long Active, long Failed)
{
    public static JobCounts Read(JsonObject job)
    {
        var parallelism = ObjectFields.Int(job, "spec.parallelism", 1);
        return new JobCounts(
            parallelism,
            ObjectFields.Int(job, "spec.completions", parallelism),
            ObjectFields.Int(job, "status.succeeded", 0),
            ObjectFields.Int(job, "status.active", 0),
            ObjectFields.Int(job, "status.failed", 0));
    }
}
