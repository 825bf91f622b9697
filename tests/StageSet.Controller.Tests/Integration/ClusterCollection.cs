using StageSet.Testing;

namespace StageSet.Controller.Tests.Integration;

/// <summary>Integration tests share one cluster; each test runs its own controller scoped to its own namespace.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<TestCluster>
{
    public const string Name = "cluster";
}
