namespace Pipeline.Datasets.Intake;

/// <summary>How a drop arrived.</summary>
public enum DropOrigin
{
    /// <summary>A folder copied into the watched folder.</summary>
    Folder,

    /// <summary>A <c>.zip</c> copied into the watched folder, or uploaded.</summary>
    Zip,

    /// <summary>Image files uploaded with a label.</summary>
    Upload,

    /// <summary>Something in the watched folder that is neither a folder nor a <c>.zip</c>.</summary>
    Other,
}
