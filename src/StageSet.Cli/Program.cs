// Placeholder entry point: commands arrive with their issues (build, get, reconcile, demo).
Console.Error.WriteLine("Error: no commands are implemented yet");
return 2;
