using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Emulation;

/// <summary>
/// Runs a handler over batches of store events (every storage key) until cancelled; one batch at a time. Subscribes
/// synchronously, before the first await, so events written right after the call are never missed.
/// </summary>
internal static class StoreEventLoop
{
    public static async Task RunAsync(ObjectStore store, Func<IReadOnlyList<StoreEvent>, CancellationToken, Task> handle, CancellationToken token)
    {
        using var subscription = store.Subscribe(ObjectStore.AllStorage, null, store.CurrentResourceVersion, out _);
        try
        {
            // The subscription above exists before the caller gets the task back; the loop itself runs on the pool.
            await Task.Yield();
            while (await subscription.Reader.WaitToReadAsync(token))
            {
                var batch = new List<StoreEvent>();
                while (subscription.Reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                await handle(batch, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs a write of an emulated controller; a conflict or a vanished object just waits for the next event.</summary>
    public static void TryWrite(Action write)
    {
        try
        {
            write();
        }
        catch (Http.ApiError)
        {
        }
    }
}
