namespace Convolve.Layers;

/// <summary>
/// The buffers one thread of <see cref="WinogradConvolution"/> works in for one image-group: the
/// blocked input frame, its transformed tiles, the 16 products (or the transformed output
/// gradient) and the blocked output frame (or output gradient), grown to the largest plan seen.
/// </summary>
internal sealed class WinogradWorkspace
{
    public float[] Frame { get; private set; } = [];

    public float[] Transformed { get; private set; } = [];

    public float[] Products { get; private set; } = [];

    public float[] Result { get; private set; } = [];

    /// <summary>Grows every buffer to the plan's sizes.</summary>
    public void Reserve(WinogradPlan plan)
    {
        Frame = Grown(Frame, plan.InputFrame.ImageSize);
        Transformed = Grown(Transformed, 16 * (int)plan.InputStride);
        Products = Grown(Products, 16 * (int)plan.OutputStride);
        Result = Grown(Result, plan.OutputFrame.ImageSize);
    }

    private static float[] Grown(float[] buffer, int size) => buffer.Length < size ? new float[size] : buffer;
}
