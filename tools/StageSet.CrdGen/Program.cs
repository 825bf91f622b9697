using StageSet.CrdGen;

if (args is not [var directory])
{
    Console.Error.WriteLine("usage: dotnet run --project tools/StageSet.CrdGen -- <output directory, e.g. config/crd>");
    return 2;
}

try
{
    foreach (var path in CrdGenerator.Write(directory))
    {
        Console.WriteLine("wrote " + path);
    }

    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"cannot write to {directory}: {e.Message}");
    return 1;
}
