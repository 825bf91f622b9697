namespace StageSet.Cli.Tests;

/// <summary>Runs stagesetctl in-process with captured output.</summary>
internal static class Cli
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        await RunAsAsync(null, args);

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsAsync(string? argv0, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, argv0);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
