using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StageSet.LocalApiServer.Hosting;

/// <summary>
/// The server's own CA. Generating keys dominates startup, so one immutable CA is created lazily per process and
/// shared by every server instance; leaf certificates (serving, client) are cheap ECDSA P-256 certificates signed by it.
/// </summary>
internal sealed class CertificateAuthority
{
    private static readonly Lazy<CertificateAuthority> Shared = new(() => new CertificateAuthority(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly X509Certificate2 _ca;

    private CertificateAuthority()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stageset-local-apiserver-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(10));
        CertificatePem = _ca.ExportCertificatePem();
    }

    public static CertificateAuthority Instance => Shared.Value;

    /// <summary>The CA certificate in PEM, for kubeconfig <c>certificate-authority-data</c>.</summary>
    public string CertificatePem { get; }

    public X509Certificate2 Certificate => _ca;

    /// <summary>A serving certificate for the loopback names kubectl and the C# client connect to.</summary>
    public X509Certificate2 IssueServing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=stageset-local-apiserver", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = Sign(request);
        using var withKey = leaf.CopyWithPrivateKey(key);
        // Round-trip through PKCS#12 so the key is persisted in a form SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client certificate: user = CN, groups = O (one O per group), as kube-apiserver reads them.</summary>
    public ClientCertificate IssueClient(string user, IReadOnlyList<string> groups)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups)
        {
            subject.AddOrganizationName(group);
        }

        subject.AddCommonName(user);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var leaf = Sign(request);
        return new ClientCertificate(leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this CA (and only this CA).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
        return chain.Build(certificate);
    }

    private X509Certificate2 Sign(CertificateRequest request)
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        return request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1), serial);
    }
}

/// <summary>A client certificate and its private key, both PEM.</summary>
internal sealed record ClientCertificate(string CertificatePem, string KeyPem);
