using Pipeline.Registry;

namespace Pipeline.Promotion;

/// <summary>
/// What a host that serves predictions lends to promotion: the model it serves (so the champion is scored on that
/// instance instead of a second load) and the swap to a newly promoted one. The service implements it; the CLI has
/// none.
/// </summary>
public interface IServingSwap
{
    /// <summary>A hold on the serving model when it is <paramref name="version"/>; null otherwise. Dispose when done.</summary>
    IServedModel? Lease(int version);

    /// <summary>
    /// Serves <paramref name="model"/> as <paramref name="version"/> from now on; the registry already names it. Takes
    /// ownership of the model.
    /// </summary>
    Task SwapAsync(ClassifierModel model, int version, CancellationToken ct);
}

/// <summary>A hold on a serving model: it is not disposed while held.</summary>
public interface IServedModel : IDisposable
{
    ClassifierModel Model { get; }
}
