namespace Pipeline.Registry;

/// <summary>Which of a model folder's heads to load.</summary>
public enum ModelHead
{
    /// <summary><c>head.zip</c>: what predict, export and the CLI use (refitted on every image for a chosen candidate).</summary>
    Served,

    /// <summary>
    /// <c>gate-head.zip</c>, fitted on the train part only: what every held-out comparison uses, so the test images it
    /// is judged on were never seen. A folder with one head (a candidate not chosen, or a model from before refits) is
    /// its own gate: its <c>head.zip</c> never saw the test images.
    /// </summary>
    Gate,
}
