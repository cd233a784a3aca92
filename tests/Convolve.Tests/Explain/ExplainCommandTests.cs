using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Convolve.Tests.Explain;

/// <summary>What <c>convolve explain</c> prints, read back and checked against the layers: C, C·x, the im2col product, Cᵀ·y, the pooling maxima, switches and unpooling.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-explain-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("4x4", "3x3", "1", "0", "1", "1")]
    [InlineData("5x5", "3", "2", "1", "1", "2")]
    [InlineData("6x5", "2x3", "2", "1", "2", "3")]
    public void Printed_convolution_matrices_and_output_are_Conv2d(string input, string kernel, string stride, string padding, string dilation, string seed)
    {
        var run = CliRunner.Run("explain", "conv", "--input", input, "--kernel", kernel, "--stride", stride, "--padding", padding, "--dilation", dilation, "--values", "--seed", seed);
        Assert.True(run.ExitCode == 0, run.Error);
        float[] x = PrintedBlocks.Grid(run.Output, "input x"), w = PrintedBlocks.Grid(run.Output, "kernel w");
        int[] i = Sizes(input), k = Sizes(kernel);
        var conv = new Conv2d(1, 1, (k[0], k[1]), stride: int.Parse(stride), padding: int.Parse(padding), dilation: int.Parse(dilation), bias: false);
        w.CopyTo(conv.Weight.Value.Span);
        float[] y = conv.Forward(Tensor.FromArray(x, 1, 1, i[0], i[1])).Data;
        Assert.Equal(y, PrintedBlocks.Grid(run.Output, "output y"));
        Assert.Equal(ConvolutionMatrix.Of(conv, i).Data, PrintedBlocks.Table(run.Output, "convolution matrix C").SelectMany(r => r));
        Assert.Equal(w, PrintedBlocks.Grid(run.Output, "flattened kernel"));
        float[][] im2col = PrintedBlocks.Table(run.Output, "im2col matrix");
        Assert.Equal(y, Enumerable.Range(0, y.Length).Select(j => Enumerable.Range(0, w.Length).Sum(t => w[t] * im2col[t][j])));
    }

    [Theory]
    [InlineData("2x2", "3", "1", "0", "1", "0")]
    [InlineData("3x3", "3", "2", "1", "1", "1")]
    [InlineData("3x2", "2", "3", "0", "1", "2")]
    [InlineData("2x3", "3", "1", "1", "2", "1")]
    public void Printed_transpose_and_output_are_ConvTranspose2d(string input, string kernel, string stride, string padding, string dilation, string outputPadding)
    {
        var run = CliRunner.Run("explain", "conv", "--transposed", "--input", input, "--kernel", kernel, "--stride", stride, "--padding", padding,
            "--dilation", dilation, "--output-padding", outputPadding, "--values");
        Assert.True(run.ExitCode == 0, run.Error);
        float[] y = PrintedBlocks.Grid(run.Output, "input y"), w = PrintedBlocks.Grid(run.Output, "kernel w");
        int[] i = Sizes(input);
        var transposed = new ConvTranspose2d(1, 1, int.Parse(kernel), stride: int.Parse(stride), padding: int.Parse(padding),
            outputPadding: int.Parse(outputPadding), bias: false, dilation: int.Parse(dilation));
        w.CopyTo(transposed.Weight.Value.Span);
        Assert.Equal(transposed.Forward(Tensor.FromArray(y, 1, 1, i[0], i[1])).Data, PrintedBlocks.Grid(run.Output, "output z"));
        Tensor c = ConvolutionMatrix.OfTransposed(transposed, i);
        // C is as wide as the output is large; past the printing limit only its transpose is shown.
        Assert.Equal(c.Shape[1] <= Convolve.Cli.Explain.MatrixText.MaxColumns ? c.Data : [], PrintedBlocks.Table(run.Output, "convolution matrix C").SelectMany(r => r));
        float[][] printed = PrintedBlocks.Table(run.Output, "Cᵀ");
        Assert.Equal(c.Shape[1], printed.Length);
        Assert.All(Enumerable.Range(0, printed.Length), q => Assert.Equal(Enumerable.Range(0, c.Shape[0]).Select(p => c.Data[p * c.Shape[1] + q]), printed[q]));
    }

    [Theory]
    [InlineData("4x4", "2", null, "0", "1")]
    [InlineData("5x5", "3", "2", "1", "1")]
    [InlineData("6x7", "3", "2", "1", "1")]
    public void Printed_maxima_switches_and_unpooling_are_MaxPool2d_and_MaxUnpool2d(string input, string kernel, string? stride, string padding, string dilation)
    {
        string[] args = ["explain", "pool", "--input", input, "--kernel", kernel, "--padding", padding, "--dilation", dilation, "--values", "--seed", "5"];
        var run = CliRunner.Run(stride is null ? args : [.. args, "--stride", stride]);
        Assert.True(run.ExitCode == 0, run.Error);
        int[] i = Sizes(input);
        int k = int.Parse(kernel);
        var pool = new MaxPool2d(k, stride: stride is null ? k : int.Parse(stride), padding: int.Parse(padding), dilation: int.Parse(dilation));
        var x = Tensor.FromArray(PrintedBlocks.Grid(run.Output, "input x"), 1, 1, i[0], i[1]);
        var (output, indices) = pool.ForwardWithIndices(x);
        Assert.Equal(output.Data, PrintedBlocks.Grid(run.Output, "output y"));
        Assert.Equal(indices.Data.Select(v => (float)v), PrintedBlocks.Grid(run.Output, "switches"));
        var unpool = new MaxUnpool2d(k, stride: stride is null ? k : int.Parse(stride), padding: int.Parse(padding));
        Assert.Equal(unpool.Forward(output, indices, i).Data, PrintedBlocks.Grid(run.Output, "max unpooling"));
    }

    [Fact]
    public void Symbols_name_every_entry_and_the_animation_has_one_frame_per_output()
    {
        string gif = Path.Combine(folder, "conv.gif");
        var run = CliRunner.Run("explain", "conv", "--input", "5", "--kernel", "3", "--stride", "2", "--padding", "1", "--animate", gif, "--delay", "40");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("  y11 = w00·x11 + w01·x12 + w02·x13 + w10·x21 + w11·x22 + w12·x23 + w20·x31 + w21·x32 + w22·x33", run.Output, StringComparison.Ordinal);
        Assert.Contains("  y00  w11 w12   0   0   0 w21 w22   0   0   0   0", run.Output, StringComparison.Ordinal);
        Assert.Contains("inputs of 5 to 6 rows and 5 to 6 columns all give this 3×3 output; output padding 0 to 1 picks one", run.Output, StringComparison.Ordinal);
        using var image = Image.Load<Rgb24>(gif);
        Assert.Equal(9, image.Frames.Count);
        Assert.Equal(40, image.Frames[0].Metadata.GetGifMetadata().FrameDelay);
    }

    [Theory]
    [InlineData("conv --input 2 --kernel 3", "convolution")]
    [InlineData("conv --input 4x --kernel 3", "--input must be a size N or HxW of integers ≥ 1 but got '4x'")]
    [InlineData("conv --input 4 --kernel 3 --transposed --stride 2 --output-padding 2", "output padding (2) must be smaller than stride (2) or dilation (1)")]
    [InlineData("conv --input 4 --kernel 2 --stride 2 --transposed --padding 2 --animate OUT", "--animate: a transposed convolution with padding [2, 2] larger than dilation·(kernel − 1)")]
    [InlineData("pool --input 4 --kernel 2 --padding 2 --animate OUT", "padding (2) must be at most half the kernel size (2)")]
    [InlineData("pool --input 4 --kernel 2 --animate out.png", "--animate must name a .gif file but got 'out.png'")]
    [InlineData("pool --input 2 --kernel 2 --dilation 3 --padding 1 --values --animate OUT", "max pooling: the window of output 0, 0 covers only padding")]
    public void Bad_input_is_one_line_exit_2_and_writes_nothing(string args, string expected)
    {
        string gif = Path.Combine(folder, "out.gif");
        var run = CliRunner.Run(["explain", .. args.Replace("OUT", gif, StringComparison.Ordinal).Split(' ')]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Empty(Directory.GetFiles(folder));
    }

    private static int[] Sizes(string text) => text.Split('x').Select(int.Parse).ToArray() is { Length: 1 } one ? [one[0], one[0]] : text.Split('x').Select(int.Parse).ToArray();
}
