using StageSet.Testing;

namespace StageSet.Kube.Tests;

/// <summary>All tests share one cluster; each works in its own namespace.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<TestCluster>
{
    public const string Name = "cluster";
}
