namespace StageSet.Cel.Runtime;

/// <summary>
/// The mutable state of one evaluation: the activation, slots for comprehension variables, and the cost meter.
/// A frame belongs to one evaluation on one thread; programs themselves stay immutable and shareable.
/// </summary>
internal sealed class EvalFrame
{
    private readonly long _costLimit;
    private readonly CancellationToken _cancellation;

    public EvalFrame(CelActivation activation, int slots, long costLimit, CancellationToken cancellation)
    {
        Activation = activation;
        Locals = new CelValue?[slots];
        _costLimit = costLimit;
        _cancellation = cancellation;
    }

    public CelActivation Activation { get; }

    public CelValue?[] Locals { get; }

    public long Cost { get; private set; }

    /// <summary>Charges evaluation cost; stops the whole evaluation once the limit is passed.</summary>
    public void Charge(long cost)
    {
        Cost += cost;
        if (Cost > _costLimit)
        {
            throw new EvaluationAbortedException("operation cancelled: actual cost limit exceeded");
        }
    }

    /// <summary>Called once per loop iteration so long loops notice cancellation.</summary>
    public void Iteration()
    {
        Charge(1);
        if (_cancellation.IsCancellationRequested)
        {
            throw new EvaluationAbortedException("operation interrupted");
        }
    }
}

/// <summary>Ends an evaluation early (cost limit, cancellation); never absorbed by <c>||</c> or <c>&amp;&amp;</c>.</summary>
internal sealed class EvaluationAbortedException(string message) : Exception(message);
