using System.CommandLine;

namespace StageSet.Cli;

/// <summary>kubectl's connection flags (genericclioptions.ConfigFlags), accepted on every command.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Path to the kubeconfig file.", Recursive = true };

    public Option<string?> Context { get; } = new("--context") { Description = "The kubeconfig context to use.", Recursive = true };

    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "The namespace scope for this request.", Recursive = true };

    public IEnumerable<Option> All()
    {
        yield return Kubeconfig;
        yield return Context;
        yield return Namespace;
        foreach (var name in new[]
                 {
                     "--cluster", "--user", "--server", "--token", "--as", "--as-uid", "--certificate-authority",
                     "--client-certificate", "--client-key", "--tls-server-name", "--request-timeout", "--cache-dir",
                 })
        {
            yield return new Option<string?>(name, name == "--server" ? ["-s"] : []) { Recursive = true, Description = "kubectl connection flag." };
        }

        yield return new Option<string[]>("--as-group") { Recursive = true, Description = "kubectl connection flag." };
        yield return new Option<bool>("--insecure-skip-tls-verify") { Recursive = true, Description = "kubectl connection flag." };
        yield return new Option<bool>("--disable-compression") { Recursive = true, Description = "kubectl connection flag." };
    }
}
