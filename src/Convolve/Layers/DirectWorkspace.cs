namespace Convolve.Layers;

/// <summary>
/// The frames one thread of <see cref="DirectConvolution"/> works in: the blocked operand of the
/// image-group in flight (when it is not in a kept batch of frames) and its blocked result, grown
/// to the largest seen and kept for the next call.
/// </summary>
internal sealed class DirectWorkspace
{
    /// <summary>The blocked operand (input or padded output gradient).</summary>
    public float[] Frame { get; private set; } = [];

    /// <summary>The blocked result (output or input gradient).</summary>
    public float[] Result { get; private set; } = [];

    /// <summary>Grows both frames to the given sizes.</summary>
    public void Reserve(int frameSize, int resultSize)
    {
        if (Frame.Length < frameSize)
        {
            Frame = new float[frameSize];
        }
        if (Result.Length < resultSize)
        {
            Result = new float[resultSize];
        }
    }
}
