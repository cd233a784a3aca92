using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary><c>max(x + y, 0)</c>: a residual block's sum and the ReLU after it in one pass (the same bits as the two).</summary>
internal readonly struct ElementwiseAddRelu : IElementwiseBinaryOperator
{
    /// <inheritdoc/>
    public float Invoke(float x, float y) => MathF.Max(x + y, 0f);

    /// <inheritdoc/>
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.Max(x + y, Vector128<float>.Zero);

    /// <inheritdoc/>
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Max(x + y, Vector256<float>.Zero);

    /// <inheritdoc/>
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Max(x + y, Vector512<float>.Zero);
}
