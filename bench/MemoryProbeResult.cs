namespace Pipeline.Bench;

/// <summary>What the memory probe child process reports: its peak RSS after featurising and training.</summary>
public sealed record MemoryProbeResult(long PeakResidentKiB, int Images, double Seconds, double MacroAccuracy);
