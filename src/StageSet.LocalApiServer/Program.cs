// Placeholder entry point: the standalone server (--port, --kubeconfig-out, --crd) arrives with its issue.
Console.Error.WriteLine("Error: the local API server is not implemented yet");
return 1;
