namespace Pipeline.Service.Hosting;

/// <summary>The folders under the data root, in one place so every part of the service agrees on them.</summary>
public sealed class PipelinePaths(string dataRoot)
{
    public string DataRoot { get; } = Path.GetFullPath(dataRoot);

    /// <summary>Watched: people copy <c>&lt;name&gt;/&lt;label&gt;/&lt;image&gt;</c> folders or <c>.zip</c> files here.</summary>
    public string Drops => Path.Combine(DataRoot, "drops");

    /// <summary>The service's own records of drops: state, counts, reasons; and uploads being received.</summary>
    public string Intake => Path.Combine(DataRoot, "intake");

    /// <summary>Drops after ingestion, kept as they came.</summary>
    public string Processed => Path.Combine(DataRoot, "processed");

    /// <summary>Rejected files, one folder per drop, each file next to a note of why.</summary>
    public string Quarantine => Path.Combine(DataRoot, "quarantine");

    public string Datasets => Path.Combine(DataRoot, "datasets");
    public string Models => Path.Combine(DataRoot, "models");

    /// <summary>Per-job working folders (candidate models, evaluation) and job records.</summary>
    public string Jobs => Path.Combine(DataRoot, "jobs");
}
