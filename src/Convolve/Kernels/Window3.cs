namespace Convolve.Kernels;

/// <summary>
/// The geometry of one sliding-window pass, normalised to three spatial dimensions (depth,
/// height, width) so that one kernel serves 1-d, 2-d and 3-d layers: a 2-d window has depth 1,
/// a 1-d window has depth and height 1. Input and output sizes are both stored, because a
/// transposed convolution with output padding has an input (its output) larger than the
/// convolution arithmetic alone would give.
/// </summary>
public readonly record struct Window3(
    int InD, int InH, int InW,
    int OutD, int OutH, int OutW,
    int KD, int KH, int KW,
    int SD, int SH, int SW,
    int PD, int PH, int PW,
    int DD, int DH, int DW)
{
    /// <summary>Number of input positions, <c>InD·InH·InW</c>.</summary>
    public int InputPlane => InD * InH * InW;

    /// <summary>Number of output positions, <c>OutD·OutH·OutW</c>.</summary>
    public int OutputPlane => OutD * OutH * OutW;

    /// <summary>Number of kernel taps, <c>KD·KH·KW</c>.</summary>
    public int KernelVolume => KD * KH * KW;
}
