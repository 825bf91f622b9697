namespace StageSet.Artifacts.Tests;

/// <summary>A scratch directory and a real Kestrel server on loopback, fresh for every test.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected Sandbox Box { get; } = new();

    protected ArtifactServer Server { get; private set; } = null!;

    public virtual async Task InitializeAsync() => Server = await ArtifactServer.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Box.Dispose();
    }
}
