using System.Text.Json.Nodes;
using StageSet.Api;
using StageSet.Kube;

namespace StageSet.Cli.Demo;

/// <summary>
/// Follows a StageSet's status and prints a line whenever a stage's phase or message, or the Ready condition,
/// changes; returns once Ready=True for the current generation, or fails with the last state at the deadline.
/// </summary>
internal sealed class RolloutProgress(DynamicClient client, TextWriter stdout, Func<string> stamp)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public async Task WaitReadyAsync(string ns, string name, TimeSpan timeout, CancellationToken ct)
    {
        var printed = new Dictionary<string, string>(StringComparer.Ordinal);
        var deadline = DateTimeOffset.UtcNow + timeout;
        var last = "no status yet";
        while (true)
        {
            var obj = await client.GetAsync(GetCommand.StageSetKind, ns, name, ct).ConfigureAwait(false)
                      ?? throw new CliException($"StageSet {ns}/{name} disappeared");
            var stageSet = StageSetJson.Deserialize<Api.StageSet>(obj);
            foreach (var stage in stageSet.Status?.Stages ?? [])
            {
                var line = string.IsNullOrEmpty(stage.Message)
                    ? $"stage {stage.Name,-10} {stage.Phase ?? "-"}"
                    : $"stage {stage.Name,-10} {stage.Phase ?? "-",-10} {stage.Message}";
                await PrintIfChangedAsync(printed, "stage/" + stage.Name, line).ConfigureAwait(false);
            }

            if (stageSet.Status?.ReadyCondition() is { } ready)
            {
                last = $"Ready={ready.Status} ({ready.Reason}): {ready.Message}";
                await PrintIfChangedAsync(printed, "ready", "StageSet " + last).ConfigureAwait(false);
                if (ready.Status == "True" && stageSet.Status.ObservedGeneration == stageSet.Metadata.Generation)
                {
                    return;
                }
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new CliException($"StageSet {ns}/{name} did not become Ready within {timeout.TotalSeconds:0}s; last state: {last}");
            }

            await Task.Delay(Poll, ct).ConfigureAwait(false);
        }
    }

    private async Task PrintIfChangedAsync(Dictionary<string, string> printed, string key, string line)
    {
        if (printed.TryGetValue(key, out var previous) && previous == line)
        {
            return;
        }

        printed[key] = line;
        await stdout.WriteLineAsync($"{stamp()}  {line}").ConfigureAwait(false);
    }
}
