namespace Pipeline.Tests.Downloads;

/// <summary>
/// Reports on the caller's thread. <see cref="Progress{T}"/> posts to the thread pool, so a test could not act at an
/// exact point of the download.
/// </summary>
internal sealed class InlineProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
