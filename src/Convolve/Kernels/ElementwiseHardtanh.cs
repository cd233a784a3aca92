using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>Hardtanh (clipping to [min, max]; ReLU6 is Hardtanh(0, 6)) and its derivative as element-wise operators.</summary>
internal static class ElementwiseHardtanh
{
    /// <summary><c>y = x &lt; min ? min : x &gt; max ? max : x</c>: NaN and the sign of a zero inside the bounds pass unchanged, as in the scalar definition.</summary>
    public readonly struct Forward(float min, float max) : IElementwiseUnaryOperator
    {
        public float Invoke(float x) => x < min ? min : x > max ? max : x;

        public Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(min)), Vector128.Create(min),
                Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(max)), Vector128.Create(max), x));

        public Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(min)), Vector256.Create(min),
                Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(max)), Vector256.Create(max), x));

        public Vector512<float> Invoke(Vector512<float> x) =>
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(min)), Vector512.Create(min),
                Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(max)), Vector512.Create(max), x));
    }

    /// <summary><c>gradInput = min &lt; input &lt; max ? gradOutput : 0</c> with operands (gradOutput, input), as PyTorch's <c>hardtanh_backward</c>.</summary>
    public readonly struct Backward(float min, float max) : IElementwiseBinaryOperator
    {
        public float Invoke(float x, float y) => y > min && y < max ? x : 0f;

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128.Create(min)) & Vector128.LessThan(y, Vector128.Create(max)), x, Vector128<float>.Zero);

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256.Create(min)) & Vector256.LessThan(y, Vector256.Create(max)), x, Vector256<float>.Zero);

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512.Create(min)) & Vector512.LessThan(y, Vector512.Create(max)), x, Vector512<float>.Zero);
    }
}
