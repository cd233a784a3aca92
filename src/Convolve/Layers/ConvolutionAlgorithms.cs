using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The process-wide default algorithm (<c>CONVOLVE_CONV_ALGORITHM</c>, or set by the caller, e.g.
/// the CLI's <c>--conv-algorithm</c>) and the rule that <see cref="ConvolutionAlgorithm.Auto"/>
/// follows. The rule depends only on the layer's sizes and the SIMD level, so a decision is the
/// same every time and on every thread count.
/// </summary>
public static class ConvolutionAlgorithms
{
    /// <summary>Environment variable naming the default algorithm: <c>auto</c>, <c>im2col</c>, <c>direct</c>, <c>winograd</c> or <c>depthwise</c>.</summary>
    public const string EnvironmentVariable = "CONVOLVE_CONV_ALGORITHM";

    /// <summary>
    /// The algorithms, in the order the rule prefers them on equal cost. Adding one: its passes behind
    /// <see cref="IConvolutionAlgorithm"/>, a <see cref="ConvolutionImplementation"/> for it, a value of
    /// <see cref="ConvolutionAlgorithm"/>, and its entry here (docs/design.md has the checklist). Declared
    /// first, since the names, the help and the environment variable's parse below are built from it.
    /// </summary>
    internal static IReadOnlyList<ConvolutionImplementation> Implementations { get; } =
        [new Im2ColImplementation(), new DirectImplementation(), new WinogradImplementation(), new DepthwiseImplementation()];

    private static string? defaultError;
    private static ConvolutionAlgorithm defaultAlgorithm;

    static ConvolutionAlgorithms()
    {
        string? value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            defaultError = TryParse(value, out defaultAlgorithm);
        }
    }

    /// <summary>
    /// The algorithm of every layer left at <see cref="ConvolutionAlgorithm.Auto"/>: <c>Auto</c>
    /// (the rule) unless <c>CONVOLVE_CONV_ALGORITHM</c> or a caller forces one.
    /// </summary>
    /// <exception cref="InvalidOperationException">Reading it when <c>CONVOLVE_CONV_ALGORITHM</c> names no algorithm.</exception>
    public static ConvolutionAlgorithm Default
    {
        get => defaultError is null ? defaultAlgorithm : throw new InvalidOperationException(defaultError);
        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "not a ConvolutionAlgorithm");
            }
            defaultError = null;
            defaultAlgorithm = value;
        }
    }

    /// <summary>The names accepted by <see cref="TryParse"/>: <c>auto</c>, then each implementation's.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", .. Implementations.Select(i => i.Name)];

    /// <summary>The names with what each is, for <c>--help</c>: <c>auto (…), im2col (…), …</c>.</summary>
    public static string Help { get; } =
        string.Join(", ", Implementations.Select(i => $"{i.Name} ({i.Summary})").Prepend("auto (the cheapest that applies, per layer, shape and pass)"));

    /// <summary>Parses an algorithm name (case-insensitive); returns null on success or the error message.</summary>
    public static string? TryParse(string? value, out ConvolutionAlgorithm algorithm)
    {
        algorithm = ConvolutionAlgorithm.Auto;
        string name = value?.Trim().ToLowerInvariant() ?? "";
        if (name == "auto")
        {
            return null;
        }
        if (Implementations.FirstOrDefault(i => i.Name == name) is { } implementation)
        {
            algorithm = implementation.Algorithm;
            return null;
        }
        return $"\"{value}\" is not a convolution algorithm; use {string.Join(", ", Names)}";
    }

    /// <summary>The implementation of <paramref name="algorithm"/> (not <see cref="ConvolutionAlgorithm.Auto"/>).</summary>
    internal static ConvolutionImplementation Find(ConvolutionAlgorithm algorithm) =>
        Implementations.FirstOrDefault(i => i.Algorithm == algorithm)
        ?? throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "no implementation of this convolution algorithm");

    /// <summary>The rule of <see cref="ConvolutionAlgorithm.Auto"/>: of the implementations that apply, the one of least expected cost (the earlier on a tie).</summary>
    internal static ConvolutionImplementation Cheapest(in ConvolutionLayout layout, SimdLevel level, ConvolutionPass pass)
    {
        ConvolutionImplementation? best = null;
        double bestCost = double.PositiveInfinity;
        foreach (ConvolutionImplementation implementation in Implementations)
        {
            if (implementation.Applies(layout, pass) && implementation.ExpectedCost(layout, pass, level) is double cost && cost < bestCost)
            {
                (best, bestCost) = (implementation, cost);
            }
        }
        return best ?? throw new InvalidOperationException($"no convolution algorithm applies to {layout}");
    }

    /// <summary>What runs for <paramref name="requested"/>: a pinned algorithm where it applies, else the rule.</summary>
    internal static ConvolutionImplementation Resolve(ConvolutionAlgorithm requested, in ConvolutionLayout layout, SimdLevel level, ConvolutionPass pass) =>
        requested != ConvolutionAlgorithm.Auto && Find(requested) is { } pinned && pinned.Applies(layout, pass) ? pinned : Cheapest(layout, level, pass);

    /// <summary>Whether <paramref name="channels"/> per group fill at least half the vector lanes of <paramref name="level"/> (never without SIMD).</summary>
    internal static bool FillsLanes(int channels, SimdLevel level) =>
        level != SimdLevel.Scalar && channels * 2 >= level switch { SimdLevel.Vector512 => 16, SimdLevel.Vector256 => 8, SimdLevel.Vector128 => 4, _ => 1 };

    /// <summary>The smallest output side on which the rule picks Winograd.</summary>
    public const int MinWinogradSide = 12;

    /// <summary>
    /// The rule for a convolution of <paramref name="inChannels"/> → <paramref name="outChannels"/> channels per group.
    /// </summary>
    public static ConvolutionAlgorithm Choose(int inChannels, int outChannels, SimdLevel level) =>
        FillsLanes(inChannels, level) && FillsLanes(outChannels, level) ? ConvolutionAlgorithm.Direct : ConvolutionAlgorithm.Im2Col;
}
