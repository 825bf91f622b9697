using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace StageSet.Controller.Runtime;

/// <summary>
/// N workers taking keys from the queue and reconciling them: success forgets the key's backoff and honours
/// the requested requeue, an error requeues with per-item backoff. A slow reconcile occupies one worker only.
/// </summary>
public sealed class ReconcileLoop(WorkQueue<ObjectKey> queue, IReconciler reconciler, int workers,
    ControllerMetrics metrics, ILogger log)
{
    private long _reconciles;

    /// <summary>Reconciles finished (any outcome).</summary>
    public long Reconciles => Interlocked.Read(ref _reconciles);

    public Task RunAsync(CancellationToken ct)
    {
        var controller = ControllerMetrics.Controller;
        metrics.RuntimeMaxConcurrent.WithLabels(controller).Set(workers);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(ct), CancellationToken.None)));
    }

    private async Task WorkerAsync(CancellationToken ct)
    {
        var controller = ControllerMetrics.Controller;
        while (!ct.IsCancellationRequested)
        {
            (bool Ok, ObjectKey Item) next;
            try
            {
                next = await queue.GetAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!next.Ok)
            {
                return;
            }

            var key = next.Item;
            metrics.WorkqueueDepth.WithLabels(controller).Set(queue.Depth);
            metrics.RuntimeActiveWorkers.WithLabels(controller).Inc();
            var watch = Stopwatch.StartNew();
            ReconcileResult result;
            try
            {
                result = await reconciler.ReconcileAsync(key, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                queue.Done(key);
                return;
            }
#pragma warning disable CA1031 // A reconciler bug must not kill the worker; it becomes a backoff retry.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                result = ReconcileResult.Backoff(ex);
            }
            finally
            {
                metrics.RuntimeActiveWorkers.WithLabels(controller).Dec();
                metrics.RuntimeReconcileTime.WithLabels(controller).Observe(watch.Elapsed.TotalSeconds);
            }

            Interlocked.Increment(ref _reconciles);
            if (result.Error is { } error)
            {
                var delay = queue.AddRateLimited(key);
                metrics.RuntimeReconcileErrors.WithLabels(controller).Inc();
                metrics.RuntimeReconcileTotal.WithLabels(controller, "error").Inc();
                metrics.WorkqueueRetries.WithLabels(controller).Inc();
                log.LogInformation("reconcile of {Key} failed, retrying in {Delay}: {Error}", key, delay, error.Message);
            }
            else
            {
                queue.Forget(key);
                if (result.RequeueAfter is { } after)
                {
                    queue.AddAfter(key, after);
                    metrics.RuntimeReconcileTotal.WithLabels(controller, "requeue_after").Inc();
                }
                else
                {
                    metrics.RuntimeReconcileTotal.WithLabels(controller, "success").Inc();
                }
            }

            queue.Done(key);
        }
    }
}
