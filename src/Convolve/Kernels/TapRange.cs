namespace Convolve.Kernels;

/// <summary>
/// For one kernel tap along one spatial axis, the output positions whose input position
/// <c>o·stride − pad + tapOffset</c> falls inside the input. Because that position grows
/// linearly with <c>o</c>, the valid outputs form one contiguous interval, which lets the
/// im2col loops copy whole runs instead of testing every element for padding.
/// </summary>
internal static class TapRange
{
    /// <summary>The half-open interval <c>[Start, End)</c> of valid output positions (empty when <c>Start == End</c>).</summary>
    /// <param name="outSize">Number of output positions.</param>
    /// <param name="inSize">Number of input positions.</param>
    /// <param name="stride">Step between neighbouring outputs in the input.</param>
    /// <param name="pad">Zero padding before the input.</param>
    /// <param name="tapOffset">The tap's offset within the window, <c>k·dilation</c>.</param>
    public static (int Start, int End) Of(int outSize, int inSize, int stride, int pad, int tapOffset)
    {
        int shift = tapOffset - pad;
        // First o with o·stride + shift ≥ 0, and one past the last o with o·stride + shift ≤ inSize − 1.
        int start = shift >= 0 ? 0 : (stride - shift - 1) / stride;
        int last = inSize - 1 - shift;
        int end = last < 0 ? 0 : Math.Min(last / stride + 1, outSize);
        return (Math.Min(start, end), end);
    }

    /// <summary>The input position of output <paramref name="output"/> for a tap offset.</summary>
    public static int InputPosition(int output, int stride, int pad, int tapOffset) => output * stride - pad + tapOffset;
}
