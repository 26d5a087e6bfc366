namespace Pipeline.Datasets;

/// <summary>
/// What <see cref="LabelledFolderWalker"/> does with symbolic and hard links: the one thing that differs between a
/// folder a user trains on and a drop. Everything else (the <c>&lt;label&gt;/&lt;image&gt;</c> layout, the reasons) is
/// one rule for both.
/// </summary>
internal enum LinkPolicy
{
    /// <summary>
    /// A training folder given on the command line: its owner may have assembled it from links on purpose, and can
    /// read the files anyway. Symbolic links are followed (a folder already walked is not entered again, so a link
    /// cycle ends); hard links are ordinary files.
    /// </summary>
    Follow,

    /// <summary>
    /// A drop, from an uploader the service need not trust: a link could pull in any file the service can read, so
    /// symbolic links and files with more than one hard link are rejected with a reason and never read.
    /// </summary>
    Reject,
}
