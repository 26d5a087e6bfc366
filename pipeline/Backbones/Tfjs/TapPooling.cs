namespace Pipeline.Backbones.Tfjs;

/// <summary>How each tapped feature map [C, H, W] is reduced to a vector.</summary>
public enum TapPooling
{
    /// <summary>Global average pool: C values per tap.</summary>
    Average,

    /// <summary>Global average pool followed by global max pool: 2C values per tap.</summary>
    AverageAndMax,
}
