using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>Leaky ReLU and its derivative as element-wise operators.</summary>
internal static class ElementwiseLeakyRelu
{
    /// <summary><c>y = x &gt; 0 ? x : slope·x</c> (PyTorch's definition, so NaN stays NaN).</summary>
    public readonly struct Forward(float negativeSlope) : IElementwiseUnaryOperator
    {
        public float Invoke(float x) => x > 0f ? x : x * negativeSlope;

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, x * negativeSlope);

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * negativeSlope);

        public Vector512<float> Invoke(Vector512<float> x) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * negativeSlope);
    }

    /// <summary>
    /// <c>gradInput = input &gt; 0 ? gradOutput : slope·gradOutput</c> with operands (gradOutput, input):
    /// the input, not the output, decides, because a negative slope flips the output's sign.
    /// </summary>
    public readonly struct Backward(float negativeSlope) : IElementwiseBinaryOperator
    {
        public float Invoke(float x, float y) => y > 0f ? x : x * negativeSlope;

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), x, x * negativeSlope);

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), x, x * negativeSlope);

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), x, x * negativeSlope);
    }
}
