namespace Convolve.Visualization;

/// <summary>
/// A box of input positions, one half-open range per spatial dimension: the receptive field of an
/// activation. <see cref="NominalStart"/> and <see cref="NominalEnd"/> are the field before
/// clipping to the input (they extend into the padding at a border), so every field of a layer has
/// the same nominal size and a clipped one can be drawn at its place within it.
/// </summary>
/// <param name="Start">First input position covered, per spatial dimension.</param>
/// <param name="End">One past the last input position covered.</param>
/// <param name="NominalStart">Start before clipping (may be negative).</param>
/// <param name="NominalEnd">End before clipping (may exceed the input size).</param>
public sealed record InputBox(int[] Start, int[] End, int[] NominalStart, int[] NominalEnd)
{
    /// <summary>Spatial dimensions.</summary>
    public int Rank => Start.Length;

    /// <summary>The box covering a whole input of spatial size <paramref name="size"/>.</summary>
    public static InputBox Whole(ReadOnlySpan<int> size) =>
        new(new int[size.Length], size.ToArray(), new int[size.Length], size.ToArray());

    /// <summary>The nominal extent along dimension <paramref name="dim"/>.</summary>
    public int NominalSize(int dim) => NominalEnd[dim] - NominalStart[dim];

    /// <summary>The smallest box holding both.</summary>
    public static InputBox Union(InputBox a, InputBox b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int[] Pick(int[] x, int[] y, Func<int, int, int> f) => x.Zip(y, f).ToArray();
        return new InputBox(Pick(a.Start, b.Start, Math.Min), Pick(a.End, b.End, Math.Max),
            Pick(a.NominalStart, b.NominalStart, Math.Min), Pick(a.NominalEnd, b.NominalEnd, Math.Max));
    }
}
