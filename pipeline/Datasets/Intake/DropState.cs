namespace Pipeline.Datasets.Intake;

/// <summary>Where a drop is: <c>Received → Ingesting → Ingested | Rejected</c>.</summary>
public enum DropState
{
    /// <summary>Taken from the watched folder or uploaded, and queued.</summary>
    Received,

    /// <summary>Being validated and stored; a drop found in this state at start-up is ingested again.</summary>
    Ingesting,

    /// <summary>Its usable images are in the dataset (possibly none new, when all were duplicates).</summary>
    Ingested,

    /// <summary>Nothing in it could be used; <see cref="DropRecord.Reason"/> says why.</summary>
    Rejected,
}
