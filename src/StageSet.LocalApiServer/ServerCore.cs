using StageSet.LocalApiServer.Authentication;
using StageSet.LocalApiServer.Authorization;
using StageSet.LocalApiServer.Faults;
using StageSet.LocalApiServer.Hosting;
using StageSet.LocalApiServer.Http;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer;

/// <summary>The parts of one server instance and how they are wired; no HTTP hosting here.</summary>
internal sealed class ServerCore
{
    public ServerCore(LocalApiServerOptions options)
    {
        Options = options;
        Clock = options.Clock;
        Ca = CertificateAuthority.Instance;
        Registry = new ResourceRegistry();
        Store = new ObjectStore(Clock, new HistoryLimits(options.WatchHistoryEvents, options.WatchHistoryAge));
        Admission = new ServerAdmission(new PassThroughAdmission());
        Writer = new ObjectWriter(Store, Admission, new InterimFieldTracker());
        Authenticator = new Authenticator(Ca, options.AnonymousAuth);
        Access = new RbacAuthorizer(new StoreRbacObjects(Store));
        Reviews = new Reviews(this);
        Resources = new ResourceHandler(this);
        Bootstrap.Seed(this);
    }

    public LocalApiServerOptions Options { get; }

    public TimeProvider Clock { get; }

    public CertificateAuthority Ca { get; }

    public ResourceRegistry Registry { get; }

    public ObjectStore Store { get; }

    public IWriteAdmission Admission { get; }

    public ObjectWriter Writer { get; }

    public Authenticator Authenticator { get; }

    public RbacAuthorizer Access { get; }

    public Reviews Reviews { get; }

    public ResourceHandler Resources { get; }

    public FaultInjector Faults { get; } = new();

    public RequestLog Log { get; } = new();

    public WatchRegistry Watches { get; } = new();

    /// <summary><c>127.0.0.1:port</c> once bound.</summary>
    public string ServerAddress { get; set; } = "127.0.0.1:0";

    /// <summary>Starts the in-server controllers (CRD establishment always; emulations as opted in).</summary>
    public IReadOnlyList<Task> StartControllers(CancellationToken token)
    {
        var tasks = new List<Task> { Task.Run(() => new Crds.CrdController(this).RunAsync(token), token) };
        if (Options.NamespaceController)
        {
            tasks.Add(Task.Run(() => new Emulation.NamespaceController(this).RunAsync(token), token));
        }

        if (Options.GarbageCollector)
        {
            tasks.Add(Task.Run(() => new Emulation.GarbageCollector(this).RunAsync(token), token));
        }

        if (Options.WorkloadStatus)
        {
            tasks.Add(Task.Run(() => new Emulation.WorkloadStatusEmulator(this).RunAsync(token), token));
        }

        if (Options.DefaultServiceAccounts)
        {
            var accounts = new Emulation.DefaultServiceAccounts(this);
            accounts.SeedExisting();
            tasks.Add(Task.Run(() => accounts.RunAsync(token), token));
        }

        return tasks;
    }

    /// <summary>A write context for the server's own writes (bootstrap, emulated controllers).</summary>
    public WriteContext SystemContext(string manager) => new(manager, false, "Ignore", Clock.GetUtcNow());
}
