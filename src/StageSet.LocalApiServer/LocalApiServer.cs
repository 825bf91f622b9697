using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StageSet.LocalApiServer.Authentication;
using StageSet.LocalApiServer.Authorization;
using StageSet.LocalApiServer.Faults;
using StageSet.LocalApiServer.Hosting;
using StageSet.LocalApiServer.Http;

namespace StageSet.LocalApiServer;

/// <summary>How a provisioned user authenticates.</summary>
public enum UserCredential
{
    /// <summary>A bearer token from the server's table.</summary>
    Token,

    /// <summary>A client certificate issued by the server CA (user = CN, groups = O); needs TLS.</summary>
    Certificate,
}

/// <summary>
/// An in-memory Kubernetes API server (kube-apiserver 1.32 as envtest runs it) on loopback.
/// <code>await using var server = await LocalApiServer.StartAsync(new LocalApiServerOptions());</code>
/// From code in another <c>StageSet.*</c> namespace, refer to it as <c>StageSet.LocalApiServer.LocalApiServer</c>
/// (or alias it), because the namespace of the same name is found first.
/// </summary>
public sealed class LocalApiServer : IAsyncDisposable
{
    private readonly ServerCore _core;
    private readonly WebApplication _app;
    private readonly string _workDirectory;
    private readonly bool _ownsWorkDirectory;
    private readonly string _adminToken;
    private readonly CancellationTokenSource _stopping;
    private readonly IReadOnlyList<Task> _controllers;
    private int _users;

    private LocalApiServer(
        ServerCore core, WebApplication app, Uri url, string workDirectory, bool ownsWorkDirectory, string adminToken,
        CancellationTokenSource stopping, IReadOnlyList<Task> controllers)
    {
        _core = core;
        _stopping = stopping;
        _controllers = controllers;
        _app = app;
        Url = url;
        _workDirectory = workDirectory;
        _ownsWorkDirectory = ownsWorkDirectory;
        _adminToken = adminToken;
        AdminKubeconfigPath = WriteKubeconfig("admin", "admin", new KubeconfigCredential.Token(adminToken));
    }

    /// <summary>The server's base address, e.g. <c>https://127.0.0.1:41234</c>.</summary>
    public Uri Url { get; }

    /// <summary>A kubeconfig for the admin identity (<c>system:masters</c>).</summary>
    public string AdminKubeconfigPath { get; }

    /// <summary>The CA certificate (PEM) the serving certificate chains to; null without TLS.</summary>
    public string? CaCertificatePem => _core.Options.UseTls ? _core.Ca.CertificatePem : null;

    /// <summary>Fault rules (api-server.md §10).</summary>
    public FaultInjector Faults => _core.Faults;

    /// <summary>Every answered request, for counting and waiting.</summary>
    public RequestLog Requests => _core.Log;

    /// <summary>The current (global) resourceVersion.</summary>
    public long CurrentResourceVersion => _core.Store.CurrentResourceVersion;

    /// <summary>A KubernetesClient configuration for the admin identity.</summary>
    public KubernetesClientConfiguration ClientConfiguration
    {
        get
        {
            var config = new KubernetesClientConfiguration { Host = Url.ToString().TrimEnd('/'), AccessToken = _adminToken };
            if (_core.Options.UseTls)
            {
                config.SslCaCerts = [X509Certificate2.CreateFromPem(_core.Ca.CertificatePem)];
            }

            return config;
        }
    }

    public static async Task<LocalApiServer> StartAsync(LocalApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalApiServerOptions();
        var core = new ServerCore(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        var serving = options.UseTls ? core.Ca.IssueServing() : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (serving is null)
                {
                    listen.Protocols = HttpProtocols.Http1;
                    return;
                }

                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serving,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    // Chains are checked per request against the server CA; any presented certificate may connect.
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
        });
        var app = builder.Build();
        var pipeline = new ApiPipeline(core);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        core.ServerAddress = "127.0.0.1:" + port;
        var url = new Uri((serving is null ? "http" : "https") + "://127.0.0.1:" + port);
        var ownsDir = options.WorkDirectory is null;
        var dir = options.WorkDirectory ?? Directory.CreateTempSubdirectory("stageset-apiserver-").FullName;
        Directory.CreateDirectory(dir);
        var adminToken = core.Authenticator.NewToken(new UserInfo("admin", [UserInfo.MastersGroup]));
        var stopping = new CancellationTokenSource();
        var controllers = core.StartControllers(stopping.Token);
        var server = new LocalApiServer(core, app, url, dir, ownsDir, adminToken, stopping, controllers);
        try
        {
            await Crds.CrdPreload.LoadAsync(core, options.CrdPaths, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A KubernetesClient for the admin identity.</summary>
    public Kubernetes CreateClient() => new(ClientConfiguration);

    /// <summary>
    /// A raw HTTP client for the admin identity (base address set, server CA trusted), or for a token returned by
    /// <see cref="AddUserToken"/>.
    /// </summary>
    public HttpClient CreateHttpClient(string? bearerToken = null)
    {
        var handler = new SocketsHttpHandler();
        if (_core.Options.UseTls)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
                cert is not null && _core.Ca.Issued(new X509Certificate2(cert));
        }

        var client = new HttpClient(handler) { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken ?? _adminToken);
        return client;
    }

    /// <summary>Provisions a user authenticated by a bearer token and returns the token (for raw HTTP clients).</summary>
    public string AddUserToken(string name, IReadOnlyList<string>? groups = null) =>
        _core.Authenticator.NewToken(new UserInfo(name, groups ?? []));

    /// <summary>Provisions a user and returns the path of a kubeconfig that authenticates as it.</summary>
    public string AddUser(string name, IReadOnlyList<string>? groups = null, UserCredential credential = UserCredential.Token)
    {
        var identity = new UserInfo(name, groups ?? []);
        return WriteUserKubeconfig(identity, credential);
    }

    /// <summary>Provisions the identity of a ServiceAccount (the object need not exist) and returns a kubeconfig path.</summary>
    public string AddServiceAccountUser(string ns, string name, UserCredential credential = UserCredential.Token)
    {
        var identity = Identities.ServiceAccount(ns, name);
        return WriteUserKubeconfig(identity with { Groups = identity.Groups.Where(g => g != Identities.Authenticated).ToList() }, credential);
    }

    /// <summary>Forgets watch history at or below <paramref name="resourceVersion"/>: older watches and continue tokens get 410.</summary>
    public void CompactTo(long resourceVersion) => _core.Store.CompactTo(resourceVersion);

    /// <summary>Sends a bookmark now on every open watch that allows them.</summary>
    public void ForceBookmarks() => _core.Watches.Bookmark();

    /// <summary>Closes matching open watches cleanly; returns how many.</summary>
    public int CloseWatches(RequestMatch? match = null) => _core.Watches.Close(match ?? RequestMatch.Any);

    /// <summary>How many matching watches are open.</summary>
    public int OpenWatches(RequestMatch? match = null) => _core.Watches.Count(match ?? RequestMatch.Any);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_controllers);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        _core.Watches.Close(RequestMatch.Any);
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        if (_ownsWorkDirectory)
        {
            try
            {
                Directory.Delete(_workDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private string WriteUserKubeconfig(UserInfo identity, UserCredential credential)
    {
        KubeconfigCredential cred = credential switch
        {
            UserCredential.Certificate when _core.Options.UseTls =>
                new KubeconfigCredential.Certificate(_core.Ca.IssueClient(identity.Name, identity.Groups)),
            UserCredential.Certificate => throw new InvalidOperationException("client certificates need TLS (UseTls = true)"),
            _ => new KubeconfigCredential.Token(_core.Authenticator.NewToken(identity)),
        };
        var file = "user-" + Interlocked.Increment(ref _users) + "-" + Sanitize(identity.Name);
        return WriteKubeconfig(file, identity.Name, cred);
    }

    private string WriteKubeconfig(string file, string userName, KubeconfigCredential credential)
    {
        var path = Path.Combine(_workDirectory, file + ".kubeconfig");
        File.WriteAllText(path, Kubeconfig.Render(Url, CaCertificatePem, userName, credential));
        return path;
    }

    private static string Sanitize(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
