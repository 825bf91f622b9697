using StageSet.LocalApiServer;

// Standalone mode: a throwaway API server for manual use and other controllers' tests.
return await StandaloneCommand.RunAsync(args, Console.Out, Console.Error);
