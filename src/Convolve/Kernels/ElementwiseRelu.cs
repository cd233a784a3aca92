using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>ReLU and its derivative as element-wise operators.</summary>
internal static class ElementwiseRelu
{
    /// <summary><c>y = max(x, 0)</c>; NaN stays NaN, as in PyTorch (IEEE 754-2019 maximum).</summary>
    public readonly struct Forward : IElementwiseUnaryOperator
    {
        public float Invoke(float x) => MathF.Max(x, 0f);

        public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);

        public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);

        public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
    }

    /// <summary>
    /// <c>gradInput = gradOutput · [output &gt; 0]</c> with operands (gradOutput, output); the
    /// derivative at 0 is taken as 0, like PyTorch's <c>threshold_backward</c>.
    /// </summary>
    public readonly struct Backward : IElementwiseBinaryOperator
    {
        public float Invoke(float x, float y) => y > 0f ? x : 0f;

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), x, Vector128<float>.Zero);

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), x, Vector256<float>.Zero);

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), x, Vector512<float>.Zero);
    }
}
