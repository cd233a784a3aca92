namespace Convolve.Bench;

/// <summary>One product C[M×N] = A[M×K]·B[K×N] to time, with a name without spaces (tables are parsed by column).</summary>
internal sealed record GemmShape(string Name, int M, int N, int K)
{
    /// <summary>Floating-point operations of one product (a multiply and an add per term).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>
    /// Square products and the im2col products of the reference layers (convolution forward,
    /// weight [C_out, C_in·k·k] times columns [C_in·k·k, H_out·W_out]), per image and for a batch
    /// of 64 images side by side.
    /// </summary>
    public static IReadOnlyList<GemmShape> Standard { get; } =
    [
        new("square-256", 256, 256, 256),
        new("square-512", 512, 512, 512),
        new("square-1024", 1024, 1024, 1024),
        new("square-2048", 2048, 2048, 2048),
        new("conv1-28x28-image", 32, 784, 25),
        new("conv1-28x28-batch64", 32, 784 * 64, 25),
        new("conv2-14x14-image", 64, 196, 800),
        new("conv2-14x14-batch64", 64, 196 * 64, 800),
        new("conv3-7x7-image", 128, 49, 576),
        new("conv3-7x7-batch64", 128, 49 * 64, 576),
        new("conv4-32x32-image", 64, 1024, 27),
        new("conv4-32x32-batch64", 64, 1024 * 64, 27),
    ];
}
