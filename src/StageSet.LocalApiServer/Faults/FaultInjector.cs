namespace StageSet.LocalApiServer.Faults;

/// <summary>
/// The fault rules of one server. Thread-safe; rule state (counters, random streams) is per rule, so a seeded rule
/// hits the same requests in the same order on every run.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<ActiveRule> _rules = [];

    /// <summary>Latency added to every request before it is served.</summary>
    public TimeSpan GlobalLatency { get; set; }

    /// <summary>Adds a rule; dispose the handle to remove it.</summary>
    public IDisposable Add(FaultRule rule)
    {
        var active = new ActiveRule(rule, this);
        lock (_lock)
        {
            _rules.Add(active);
        }

        return active;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _rules.Clear();
        }
    }

    /// <summary>The action of the first rule that matches and triggers, if any.</summary>
    internal FaultAction? Decide(RequestFacts facts)
    {
        lock (_lock)
        {
            foreach (var rule in _rules)
            {
                if (rule.Rule.Match.Matches(facts) && rule.Fires())
                {
                    return rule.Rule.Action;
                }
            }

            return null;
        }
    }

    private void Remove(ActiveRule rule)
    {
        lock (_lock)
        {
            _rules.Remove(rule);
        }
    }

    private sealed class ActiveRule(FaultRule rule, FaultInjector owner) : IDisposable
    {
        private readonly Random? _random = rule.Trigger is FaultTrigger.ProbabilityTrigger p ? new Random(p.Seed) : null;
        private int _seen;

        public FaultRule Rule { get; } = rule;

        public bool Fires()
        {
            var index = _seen++;
            return Rule.Trigger switch
            {
                FaultTrigger.WindowTrigger w => index >= w.Skip && index < w.Skip + w.Count,
                FaultTrigger.ProbabilityTrigger p => _random!.NextDouble() < p.P,
                _ => true,
            };
        }

        public void Dispose() => owner.Remove(this);
    }
}
