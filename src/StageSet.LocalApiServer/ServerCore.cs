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
        Schemas = new ServerSchemas(Registry);
        var builtins = new Admission.BuiltinAdmission(Manifests.Schema.BuiltInSchemas.Instance);
        Admission = new ServerAdmission(new BuiltinWriteAdmission(builtins, new ServiceAllocator(Store)));
        Writer = new ObjectWriter(Store, Admission, new LibraryFieldTracker(new FieldManagement.FieldManager(Schemas, builtins)));
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

    /// <summary>Built-in and served custom kinds' schemas (field management, strategic merge patch).</summary>
    public Manifests.Schema.ITypeSchemaProvider Schemas { get; }

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
        // Each controller subscribes to the store before RunAsync returns, so no write made after start is missed.
        var tasks = new List<Task> { new Crds.CrdController(this).RunAsync(token) };
        if (Options.NamespaceController)
        {
            tasks.Add(new Emulation.NamespaceController(this).RunAsync(token));
        }

        if (Options.GarbageCollector)
        {
            tasks.Add(new Emulation.GarbageCollector(this).RunAsync(token));
        }

        if (Options.WorkloadStatus)
        {
            tasks.Add(new Emulation.WorkloadStatusEmulator(this).RunAsync(token));
        }

        if (Options.DefaultServiceAccounts)
        {
            var accounts = new Emulation.DefaultServiceAccounts(this);
            tasks.Add(accounts.RunAsync(token));
            accounts.SeedExisting();
        }

        return tasks;
    }

    /// <summary>A write context for the server's own writes (bootstrap, emulated controllers).</summary>
    public WriteContext SystemContext(string manager) => new(manager, false, "Ignore", Clock.GetUtcNow());
}
