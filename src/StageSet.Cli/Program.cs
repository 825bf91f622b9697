using StageSet.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error, InvokedAs());

// .NET hides the real argv[0] behind the entry assembly path; /proc keeps it, so a kubectl-stageset symlink is seen.
static string? InvokedAs()
{
    try
    {
        var cmdline = File.ReadAllText("/proc/self/cmdline");
        var first = cmdline.Split('\0')[0];
        return first.Length > 0 ? first : Environment.GetCommandLineArgs()[0];
    }
    catch (IOException)
    {
        return Environment.GetCommandLineArgs()[0];
    }
    catch (UnauthorizedAccessException)
    {
        return Environment.GetCommandLineArgs()[0];
    }
}
