using Convolve.Diagnostics;

namespace Convolve.Cli.Explain;

/// <summary>
/// Prints a convolution or transposed convolution the way the derivation builds it: the sizes and
/// their rule, the input and the kernel, the im2col matrix and the flattened kernel whose product is
/// the output, the sparse convolution matrix C, and the transpose Cᵀ with its output-size rule.
/// Entries are symbols (x01, w12) or, with values, numbers.
/// </summary>
internal static class ConvolutionText
{
    public static void Write(TextWriter o, ConvolutionExplanation e, ExplainValues? values)
    {
        var g = e.Geometry;
        bool transposed = e.Kind == WindowKind.TransposedConvolution;
        string options = $"kernel {Symbols.Size(g.Kernel)}, stride {Symbols.Size(g.Stride)}, padding {Symbols.Size(g.PadBefore)}, "
            + (transposed ? $"output padding {Symbols.Size(g.OutputPadding)}, " : "") + $"dilation {Symbols.Size(g.Dilation)}";
        o.WriteLine($"{(transposed ? "transposed convolution" : "convolution")}: input {Symbols.Size(e.InputSize)}, {options} → output {Symbols.Size(e.OutputSize)}");
        o.WriteLine(transposed
            ? $"  output size (i − 1)·s − 2p + d(k − 1) + output_padding + 1: {Rule(e, 0, true)}; {Rule(e, 1, true)}"
            : $"  output size floor((i + 2p − d(k − 1) − 1)/s) + 1: {Rule(e, 0, false)}; {Rule(e, 1, false)}");
        o.WriteLine();
        string inLetter = transposed ? "y" : "x", outLetter = transposed ? "z" : "y";
        string[] inputs = Symbols.Names(inLetter, e.InputSize), kernel = Symbols.Names("w", g.Kernel);
        MatrixText.Grid(o, $"input {inLetter} ({Symbols.Size(e.InputSize)}):", e.InputSize[0], e.InputSize[1], (r, c) => Entry(inputs, values?.Input, r * e.InputSize[1] + c));
        MatrixText.Grid(o, $"kernel w ({Symbols.Size(g.Kernel)}):", g.Kernel[0], g.Kernel[1], (r, c) => Entry(kernel, values?.Kernel, r * g.Kernel[1] + c));
        if (transposed)
        {
            WriteTransposed(o, e, values, inputs, kernel);
        }
        else
        {
            WriteDirect(o, e, values, inputs, kernel);
        }
    }

    private static void WriteDirect(TextWriter o, ConvolutionExplanation e, ExplainValues? values, string[] x, string[] w)
    {
        string[] y = Symbols.Names("y", e.OutputSize);
        int taps = w.Length, outputs = y.Length;
        MatrixText.Table(o, $"im2col matrix ({taps}×{outputs}): column j holds the input under the kernel at output position j (0: padding)", w, y,
            (t, p) => e.Im2Col[t, p] < 0 ? "0" : Entry(x, values?.Input, e.Im2Col[t, p]));
        MatrixText.Grid(o, $"flattened kernel ({1}×{taps}):", 1, taps, (_, t) => Entry(w, values?.Kernel, t));
        WriteOutput(o, $"output y = flattened kernel · im2col ({1}×{outputs}), read as {Symbols.Size(e.OutputSize)}:", e, values, y, x, w);
        MatrixText.Table(o, $"convolution matrix C ({outputs}×{x.Length}): vec(y) = C·vec(x); row i is the kernel placed where output i reads", y, x,
            (p, q) => e.Taps[p, q] < 0 ? "0" : Entry(w, values?.Kernel, e.Taps[p, q]));
        var (rows, columns) = (e.InputsWithSameOutput(0), e.InputsWithSameOutput(1));
        o.WriteLine($"transposed convolution: vec(x') = Cᵀ·vec(y) takes a {Symbols.Size(e.OutputSize)} map back to {Symbols.Size(e.InputSize)} (Cᵀ is {x.Length}×{outputs}; convolution's input gradient is Cᵀ·gradOutput)");
        o.WriteLine("  output size (i − 1)·s − 2p + d(k − 1) + output_padding + 1; with output padding 0 it is " + Symbols.Size([rows.First, columns.First]));
        o.WriteLine($"  inputs of {rows.First} to {rows.Last} rows and {columns.First} to {columns.Last} columns all give this {Symbols.Size(e.OutputSize)} output; output padding 0 to {e.Geometry.Stride.Max() - 1} picks one");
        o.WriteLine($"  (see it with: convolve explain conv --transposed --input {Symbols.Size(e.OutputSize).Replace('×', 'x')} --kernel {Symbols.Size(e.Geometry.Kernel).Replace('×', 'x')} ...)");
    }

    private static void WriteTransposed(TextWriter o, ConvolutionExplanation e, ExplainValues? values, string[] y, string[] w)
    {
        string[] z = Symbols.Names("z", e.OutputSize);
        var (rows, columns) = (e.InputsWithSameOutput(0), e.InputsWithSameOutput(1));
        o.WriteLine($"it is the transpose of the convolution from {Symbols.Size(e.OutputSize)} to {Symbols.Size(e.InputSize)} with the same kernel, stride, padding and dilation;");
        o.WriteLine($"that convolution maps inputs of {rows.First} to {rows.Last} rows and {columns.First} to {columns.Last} columns to {Symbols.Size(e.InputSize)}; the output padding picks {Symbols.Size(e.OutputSize)}");
        o.WriteLine();
        MatrixText.Table(o, $"convolution matrix C ({y.Length}×{z.Length}) of that convolution: vec(y) = C·vec(z)", y, z,
            (p, q) => e.Taps[p, q] < 0 ? "0" : Entry(w, values?.Kernel, e.Taps[p, q]));
        MatrixText.Table(o, $"Cᵀ ({z.Length}×{y.Length}): vec(z) = Cᵀ·vec(y)", z, y,
            (q, p) => e.Taps[p, q] < 0 ? "0" : Entry(w, values?.Kernel, e.Taps[p, q]));
        WriteOutput(o, $"output z = Cᵀ·vec(y), read as {Symbols.Size(e.OutputSize)}:", e, values, z, y, w);
        o.WriteLine($"equivalently: a stride-1 convolution with the kernel turned 180° over y spread apart by stride − 1 zeros and padded by d(k − 1) − p = {Symbols.Size(e.Geometry.Dilation.Select((d, i) => d * (e.Geometry.Kernel[i] - 1) - e.Geometry.PadBefore[i]).ToArray())} zeros (plus the output padding after)");
    }

    /// <summary>The output as sums of products (symbols), or as numbers.</summary>
    private static void WriteOutput(TextWriter o, string title, ConvolutionExplanation e, ExplainValues? values, string[] outputs, string[] inputs, string[] w)
    {
        if (values is not null)
        {
            MatrixText.Grid(o, title, e.OutputSize[0], e.OutputSize[1], (r, c) => Symbols.Number(values.Output[r * e.OutputSize[1] + c]));
            return;
        }
        o.WriteLine(title);
        bool transposed = e.Kind == WindowKind.TransposedConvolution;
        for (int i = 0; i < outputs.Length; i++)
        {
            var terms = transposed
                ? Enumerable.Range(0, inputs.Length).Where(p => e.Taps[p, i] >= 0).Select(p => $"{w[e.Taps[p, i]]}·{inputs[p]}")
                : Enumerable.Range(0, w.Length).Where(t => e.Im2Col[t, i] >= 0).Select(t => $"{w[t]}·{inputs[e.Im2Col[t, i]]}");
            string sum = string.Join(" + ", terms);
            o.WriteLine($"  {outputs[i]} = {(sum.Length == 0 ? "0" : sum)}");
        }
        o.WriteLine();
    }

    private static string Entry(string[] symbols, float[]? numbers, int index) => numbers is null ? symbols[index] : Symbols.Number(numbers[index]);

    private static string Rule(ConvolutionExplanation e, int dim, bool transposed)
    {
        var g = e.Geometry;
        int i = e.InputSize[dim], k = g.Kernel[dim], s = g.Stride[dim], p = g.PadBefore[dim], d = g.Dilation[dim];
        string name = dim == 0 ? "rows" : "columns";
        return transposed
            ? $"{name} ({i} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {g.OutputPadding[dim]} + 1 = {e.OutputSize[dim]}"
            : $"{name} floor(({i} + 2·{p} − {d}·({k} − 1) − 1)/{s}) + 1 = {e.OutputSize[dim]}";
    }
}
