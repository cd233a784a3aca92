namespace Convolve.Visualization;

/// <summary>A colour with channels in [0, 1].</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct Rgb(float R, float G, float B)
{
    /// <summary>White.</summary>
    public static Rgb White => new(1f, 1f, 1f);

    /// <summary>Black.</summary>
    public static Rgb Black => new(0f, 0f, 0f);

    /// <summary>A gray level.</summary>
    public static Rgb Gray(float level) => new(level, level, level);

    /// <summary>A colour from a 24-bit hex value such as 0x1F77B4.</summary>
    public static Rgb FromHex(int hex) => new(((hex >> 16) & 0xFF) / 255f, ((hex >> 8) & 0xFF) / 255f, (hex & 0xFF) / 255f);

    /// <summary>The channel <paramref name="index"/> (0 red, 1 green, 2 blue).</summary>
    public float this[int index] => index switch { 0 => R, 1 => G, _ => B };
}
