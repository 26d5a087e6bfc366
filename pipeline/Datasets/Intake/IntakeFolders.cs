namespace Pipeline.Datasets.Intake;

/// <summary>
/// Where drops live on their way in. A drop's bytes are only ever moved (renamed), never copied and deleted:
/// <c>drops/&lt;name&gt;</c> → <c>intake/payload/&lt;id&gt;/&lt;name&gt;</c> → <c>processed/&lt;id&gt;/&lt;name&gt;</c>.
/// </summary>
/// <param name="Intake">Records (<c>&lt;id&gt;.json</c>), payloads being ingested, scratch space, uploads in progress.</param>
/// <param name="Processed">Drops after ingestion, kept as they came.</param>
/// <param name="Quarantine">Rejected files, one folder per drop, with reasons.</param>
public sealed record IntakeFolders(string Intake, string Processed, string Quarantine)
{
    public string RecordOf(string id) => Path.Combine(Intake, id + ".json");
    public string Payloads => Path.Combine(Intake, "payload");
    public string PayloadOf(string id) => Path.Combine(Payloads, id);
    public string WorkOf(string id) => Path.Combine(Intake, "work", id);
    public string ProcessedOf(string id) => Path.Combine(Processed, id);
    public string QuarantineOf(string id) => Path.Combine(Quarantine, id);

    /// <summary>Prefix of uploads being received; a folder with it found at start-up is an upload cut off midway.</summary>
    public const string UploadPrefix = ".upload-";

    public string NewUploadFolder() => Path.Combine(Intake, $"{UploadPrefix}{Guid.NewGuid():N}.tmp");

    public void Create()
    {
        Directory.CreateDirectory(Intake);
        Directory.CreateDirectory(Payloads);
        Directory.CreateDirectory(Processed);
        Directory.CreateDirectory(Quarantine);
    }
}
