using Pipeline.Promotion;
using Pipeline.Registry;

namespace Pipeline.Service.Predict;

/// <summary>
/// The model that answers predict requests, swappable while requests run. A request takes a lease; a swap publishes
/// the new model at once for new leases, and the old model is disposed only when its last lease ends. So requests in
/// flight finish on the model they started with, and no request ever sees a disposed model.
/// </summary>
public sealed class ServingModel : IDisposable
{
    private Handle? _current;

    /// <summary>The serving version, or null while no model serves.</summary>
    public int? Version => Volatile.Read(ref _current)?.Version;

    /// <summary>A lease on the serving model, or null when there is none. Dispose it when the request is done.</summary>
    public ModelLease? Acquire()
    {
        while (true)
        {
            var handle = Volatile.Read(ref _current);
            if (handle is null) return null;
            if (handle.TryAddRef()) return new ModelLease(handle);
            // Lost a race with a swap that released this handle's last reference: read the new one.
        }
    }

    /// <summary>Serves <paramref name="model"/> from now on; the previous model is disposed once idle.</summary>
    public void Swap(ClassifierModel model, int version)
    {
        var previous = Interlocked.Exchange(ref _current, new Handle(model, version));
        previous?.Release();
    }

    public void Dispose() => Interlocked.Exchange(ref _current, null)?.Release();

    internal sealed class Handle(ClassifierModel model, int version)
    {
        // One reference belongs to ServingModel itself until the handle is swapped out.
        private int _references = 1;

        public ClassifierModel Model { get; } = model;
        public int Version { get; } = version;

        public bool TryAddRef()
        {
            while (true)
            {
                var seen = Volatile.Read(ref _references);
                if (seen == 0) return false;
                if (Interlocked.CompareExchange(ref _references, seen + 1, seen) == seen) return true;
            }
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0) Model.Dispose();
        }
    }
}

/// <summary>A request's hold on one model version.</summary>
public sealed class ModelLease : IServedModel
{
    private ServingModel.Handle? _handle;

    internal ModelLease(ServingModel.Handle handle) => _handle = handle;

    public ClassifierModel Model => (_handle ?? throw new ObjectDisposedException(nameof(ModelLease))).Model;
    public int Version => (_handle ?? throw new ObjectDisposedException(nameof(ModelLease))).Version;

    public void Dispose() => Interlocked.Exchange(ref _handle, null)?.Release();
}
