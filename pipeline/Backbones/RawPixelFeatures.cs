namespace Pipeline.Backbones;

/// <summary>Shape of the raw-pixel baseline's features.</summary>
public static class RawPixelFeatures
{
    public const int Side = 32;
    public const int Length = 3 * Side * Side;
}
