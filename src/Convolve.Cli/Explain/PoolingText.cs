using Convolve.Diagnostics;

namespace Convolve.Cli.Explain;

/// <summary>
/// Prints max pooling as windows over the input: each output is the largest input of its window,
/// and its switch (the maximum's flat index in the input plane, MaxPool2d's indices) is what max
/// unpooling and the backward pass route values through.
/// </summary>
internal static class PoolingText
{
    public static void Write(TextWriter o, ConvolutionExplanation e, ExplainValues? values)
    {
        var g = e.Geometry;
        o.WriteLine($"max pooling: input {Symbols.Size(e.InputSize)}, kernel {Symbols.Size(g.Kernel)}, stride {Symbols.Size(g.Stride)}, padding {Symbols.Size(g.PadBefore)}, dilation {Symbols.Size(g.Dilation)} → output {Symbols.Size(e.OutputSize)}");
        o.WriteLine($"  output size floor((i + 2p − d(k − 1) − 1)/s) + 1: {Rule(e, 0)}; {Rule(e, 1)}");
        o.WriteLine();
        string[] x = Symbols.Names("x", e.InputSize), y = Symbols.Names("y", e.OutputSize);
        MatrixText.Grid(o, $"input x ({Symbols.Size(e.InputSize)}):", e.InputSize[0], e.InputSize[1],
            (r, c) => values is null ? x[r * e.InputSize[1] + c] : Symbols.Number(values.Input[r * e.InputSize[1] + c]));
        o.WriteLine("windows: each output is the largest input under its window (padding counts as −∞; the first maximum in scan order wins)");
        int[] switches = new int[y.Length];
        for (int p = 0; p < y.Length; p++)
        {
            var window = Enumerable.Range(0, e.Im2Col.GetLength(0)).Select(t => e.Im2Col[t, p]).Where(i => i >= 0).ToArray();
            if (values is null)
            {
                o.WriteLine($"  {y[p]} = max({string.Join(", ", window.Select(i => x[i]))})");
                continue;
            }
            switches[p] = window.Aggregate((best, i) => values.Input[i] > values.Input[best] ? i : best);
            o.WriteLine($"  {y[p]} = max({string.Join(", ", window.Select(i => Symbols.Number(values.Input[i])))}) = {Symbols.Number(values.Input[switches[p]])} at {x[switches[p]]}, switch {switches[p]}");
        }
        o.WriteLine();
        if (values is null)
        {
            o.WriteLine("the switches (each maximum's flat index in the input plane) are kept: max unpooling puts each value back at its switch,");
            o.WriteLine("and the backward pass routes each gradient there (adding where windows overlap). Add --values to see them.");
            return;
        }
        WriteValues(o, e, values, switches);
    }

    private static void WriteValues(TextWriter o, ConvolutionExplanation e, ExplainValues values, int[] switches)
    {
        int[] output = e.OutputSize, input = e.InputSize;
        MatrixText.Grid(o, $"output y ({Symbols.Size(output)}):", output[0], output[1], (r, c) => Symbols.Number(values.Input[switches[r * output[1] + c]]));
        MatrixText.Grid(o, $"switches ({Symbols.Size(output)}): the flat index of each maximum in the input plane (MaxPool2d's indices):", output[0], output[1],
            (r, c) => switches[r * output[1] + c].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var unpooled = new float[input[0] * input[1]];
        foreach (int s in switches)
        {
            unpooled[s] = values.Input[s];
        }
        MatrixText.Grid(o, $"max unpooling of y with the switches ({Symbols.Size(input)}): each maximum back at its place, zeros elsewhere (MaxUnpool2d):", input[0], input[1],
            (r, c) => Symbols.Number(unpooled[r * input[1] + c]));
        o.WriteLine("the backward pass routes a gradient the same way, adding where overlapping windows share a switch");
    }

    private static string Rule(ConvolutionExplanation e, int dim)
    {
        var g = e.Geometry;
        return $"{(dim == 0 ? "rows" : "columns")} floor(({e.InputSize[dim]} + 2·{g.PadBefore[dim]} − {g.Dilation[dim]}·({g.Kernel[dim]} − 1) − 1)/{g.Stride[dim]}) + 1 = {e.OutputSize[dim]}";
    }
}
