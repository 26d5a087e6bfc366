namespace Pipeline.Backbones.Nsfwjs;

/// <summary>
/// Produces a standard TF.js layers model (model.json + weights.bin) of an nsfwjs backbone by running
/// tools/nsfwjs/extract.cjs with node, installing the pinned npm packages first if they are missing.
/// </summary>
public sealed class NsfwjsModelExtractor : IDisposable
{
    private const string ExtractScript = "extract.cjs";

    // One npm ci at a time per extractor: two at once in one folder would fight over node_modules.
    private readonly SemaphoreSlim installGate = new(1, 1);
    private readonly string nodeExecutable;
    private readonly string npmExecutable;

    /// <param name="toolsFolder">The tools/nsfwjs folder; see <see cref="NsfwjsToolsFolder.Locate"/>.</param>
    /// <param name="nodeExecutable">node, looked up on PATH unless a path is given.</param>
    /// <param name="npmExecutable">npm (npm.cmd on Windows), looked up on PATH unless a path is given.</param>
    public NsfwjsModelExtractor(string toolsFolder, string nodeExecutable = "node", string? npmExecutable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toolsFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeExecutable);
        ToolsFolder = Path.GetFullPath(toolsFolder);
        if (!File.Exists(Path.Combine(ToolsFolder, ExtractScript)))
        {
            throw new ArgumentException($"'{ToolsFolder}' does not contain {ExtractScript}.", nameof(toolsFolder));
        }

        this.nodeExecutable = nodeExecutable;
        this.npmExecutable = npmExecutable ?? (OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
    }

    public string ToolsFolder { get; }

    /// <summary>
    /// Writes <paramref name="backbone"/> as model.json + weights.bin into <paramref name="targetFolder"/> (created
    /// if needed; model.json is written last) and returns the path of model.json.
    /// </summary>
    /// <exception cref="ExternalToolException">node or npm is missing or failed; the message carries its stderr.</exception>
    public async Task<string> ExtractAsync(NsfwjsBackbone backbone, string targetFolder,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetFolder);
        var variant = backbone switch
        {
            NsfwjsBackbone.MobileNetV2 => "mobilenet_v2",
            NsfwjsBackbone.InceptionV3 => "inception_v3",
            _ => throw new ArgumentOutOfRangeException(nameof(backbone), backbone, "Not an nsfwjs backbone."),
        };

        await EnsurePackagesInstalledAsync(cancellationToken).ConfigureAwait(false);
        var target = Path.GetFullPath(targetFolder);
        await ChildProcess.RunAsync(nodeExecutable, [Path.Combine(ToolsFolder, ExtractScript), variant, target],
            ToolsFolder, cancellationToken).ConfigureAwait(false);
        return Path.Combine(target, "model.json");
    }

    /// <summary>Runs <c>npm ci</c> in the tools folder unless node_modules/nsfwjs is already there.</summary>
    public async Task EnsurePackagesInstalledAsync(CancellationToken cancellationToken)
    {
        await installGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Directory.Exists(Path.Combine(ToolsFolder, "node_modules", "nsfwjs")))
            {
                return;
            }

            // --ignore-scripts: the pinned packages need no install scripts, and running none is the safe default.
            await ChildProcess.RunAsync(npmExecutable, ["ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                ToolsFolder, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            installGate.Release();
        }
    }

    public void Dispose() => installGate.Dispose();
}
