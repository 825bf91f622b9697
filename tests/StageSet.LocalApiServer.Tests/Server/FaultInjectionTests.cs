using StageSet.LocalApiServer.Faults;

namespace StageSet.LocalApiServer.Tests.Server;

/// <summary>Fault rules of api-server.md §10 that combine on one request stream.</summary>
public sealed class FaultInjectionTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_first_firing_rule_answers_and_later_rules_count_only_the_requests_it_let_through()
    {
        var ns = await fx.NamespaceAsync("faults");
        await fx.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap(ns, "a"));
        var match = new RequestMatch { Verb = "get", Namespace = ns, Resource = "configmaps", Name = "a" };
        using var throttle = fx.Server.Faults.Add(new FaultRule(match, FaultTrigger.First(1), FaultAction.TooManyRequests(0)));
        using var fail = fx.Server.Faults.Add(new FaultRule(match, FaultTrigger.SkipThen(1, 1), FaultAction.InternalError()));
        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await fx.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/a")).Code);
        }

        // Request 1: the throttle fires (the second rule never sees it); request 2 is the second rule's skipped one.
        Assert.Equal([429, 200, 500], codes);
    }
}
