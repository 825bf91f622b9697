using System.Text;

namespace StageSet.LocalApiServer.Hosting;

/// <summary>How a kubeconfig user authenticates: a bearer token or a client certificate from the server CA.</summary>
internal abstract record KubeconfigCredential
{
    public sealed record Token(string Value) : KubeconfigCredential;

    public sealed record Certificate(ClientCertificate Value) : KubeconfigCredential;
}

/// <summary>Writes single-context kubeconfig files that both kubectl and the C# client read.</summary>
internal static class Kubeconfig
{
    public static string Render(Uri server, string? caPem, string userName, KubeconfigCredential credential)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n");
        sb.Append("    server: ").Append(server.GetLeftPart(UriPartial.Authority)).Append('\n');
        if (caPem is not null)
        {
            sb.Append("    certificate-authority-data: ").Append(Base64(caPem)).Append('\n');
        }

        sb.Append("users:\n- name: ").Append(Quote(userName)).Append("\n  user:\n");
        switch (credential)
        {
            case KubeconfigCredential.Token token:
                sb.Append("    token: ").Append(token.Value).Append('\n');
                break;
            case KubeconfigCredential.Certificate cert:
                sb.Append("    client-certificate-data: ").Append(Base64(cert.Value.CertificatePem)).Append('\n');
                sb.Append("    client-key-data: ").Append(Base64(cert.Value.KeyPem)).Append('\n');
                break;
        }

        sb.Append("contexts:\n- name: local\n  context:\n    cluster: local\n    user: ").Append(Quote(userName)).Append('\n');
        sb.Append("current-context: local\npreferences: {}\n");
        return sb.ToString();
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    // User names such as system:serviceaccount:ns:name contain colons, which YAML would misread unquoted.
    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
