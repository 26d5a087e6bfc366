using System.Globalization;

namespace Pipeline.Backbones.MlNet;

/// <summary>
/// A tensor of the package's ResNet18 graph to take features from, pooled over the whole map (<c>ReLU347_Output_0</c>)
/// or over a square grid of cells (<c>ReLU315_Output_0@4x4</c>), which keeps where in the image a pattern is.
/// </summary>
/// <param name="Tensor">An output name of the package graph, e.g. <c>ReLU315_Output_0</c>.</param>
/// <param name="Grid">Cells per side; 1 pools the whole map.</param>
public readonly record struct ResNet18Tap(string Tensor, int Grid)
{
    private const char GridSeparator = '@';

    public bool IsGlobal => Grid == 1;

    /// <summary>Reads <c>Tensor</c> or <c>Tensor@GxG</c>.</summary>
    /// <exception cref="ArgumentException">The text is blank, or its grid is not a positive square <c>GxG</c>.</exception>
    public static ResNet18Tap Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var at = text.IndexOf(GridSeparator);
        if (at < 0) return new ResNet18Tap(text, 1);

        var sides = text[(at + 1)..].Split('x');
        if (at == 0 || sides.Length != 2 || sides[0] != sides[1] ||
            !int.TryParse(sides[0], NumberStyles.None, CultureInfo.InvariantCulture, out var grid) || grid <= 0)
            throw new ArgumentException($"Tap '{text}' must be 'tensor' or 'tensor@GxG' with a positive square grid, e.g. 'ReLU315_Output_0@4x4'.",
                nameof(text));
        return new ResNet18Tap(text[..at], grid);
    }

    public override string ToString() => IsGlobal ? Tensor : $"{Tensor}{GridSeparator}{Grid}x{Grid}";
}
