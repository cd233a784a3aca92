using System.Globalization;

namespace Convolve.Cli.Explain;

/// <summary>Names and numbers of the entries the explanation prints: <c>x01</c> is row 0, column 1 of x.</summary>
internal static class Symbols
{
    /// <summary>The symbol of entry <paramref name="index"/> (row-major) of a matrix <paramref name="columns"/> wide; rows and columns past 9 are separated by a comma.</summary>
    public static string Name(string letter, int index, int columns)
    {
        int row = index / columns, column = index % columns;
        return row < 10 && column < 10
            ? string.Create(CultureInfo.InvariantCulture, $"{letter}{row}{column}")
            : string.Create(CultureInfo.InvariantCulture, $"{letter}{row},{column}");
    }

    /// <summary>The symbols of a rows×columns matrix, row-major.</summary>
    public static string[] Names(string letter, int[] size) =>
        Enumerable.Range(0, size[0] * size[1]).Select(i => Name(letter, i, size[1])).ToArray();

    /// <summary>A number as printed: shortest round-trip form, invariant culture.</summary>
    public static string Number(float value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Seeded small integers for <c>--values</c>: <paramref name="count"/> draws from [low, high].</summary>
    public static float[] Draw(Tensors.RandomSource random, int count, int low, int high) =>
        Enumerable.Range(0, count).Select(_ => (float)(low + random.NextInt(high - low + 1))).ToArray();

    /// <summary>A size as printed: <c>4×5</c>.</summary>
    public static string Size(int[] size) => string.Join("×", size);
}
