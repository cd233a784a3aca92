using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>The logistic sigmoid and its derivative as element-wise operators.</summary>
internal static class ElementwiseSigmoid
{
    /// <summary>
    /// <c>y = 1 / (1 + e^(−x))</c>, computed in double as <c>1/(1+e)</c> for x ≥ 0 and <c>e/(1+e)</c>
    /// for x &lt; 0 with <c>e = exp(−|x|) ≤ 1</c>: nothing overflows for any |x| and the tiny values
    /// for very negative x keep their relative precision.
    /// </summary>
    public readonly struct Forward : IElementwiseUnaryOperator
    {
        public float Invoke(float x)
        {
            double e = Math.Exp(-Math.Abs((double)x));
            return (float)((x >= 0f ? 1.0 : e) / (1.0 + e));
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var (lower, upper) = Vector128.Widen(x);
            return Vector128.Narrow(Sigmoid(lower), Sigmoid(upper));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var (lower, upper) = Vector256.Widen(x);
            return Vector256.Narrow(Sigmoid(lower), Sigmoid(upper));
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var (lower, upper) = Vector512.Widen(x);
            return Vector512.Narrow(Sigmoid(lower), Sigmoid(upper));
        }

        private static Vector128<double> Sigmoid(Vector128<double> x)
        {
            Vector128<double> e = Vector128.Exp(-Vector128.Abs(x));
            Vector128<double> numerator = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<double>.Zero), Vector128<double>.One, e);
            return numerator / (Vector128<double>.One + e);
        }

        private static Vector256<double> Sigmoid(Vector256<double> x)
        {
            Vector256<double> e = Vector256.Exp(-Vector256.Abs(x));
            Vector256<double> numerator = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<double>.Zero), Vector256<double>.One, e);
            return numerator / (Vector256<double>.One + e);
        }

        private static Vector512<double> Sigmoid(Vector512<double> x)
        {
            Vector512<double> e = Vector512.Exp(-Vector512.Abs(x));
            Vector512<double> numerator = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<double>.Zero), Vector512<double>.One, e);
            return numerator / (Vector512<double>.One + e);
        }
    }

    /// <summary>
    /// <c>gradInput = gradOutput·(1 − y)·y</c> with operands (gradOutput, output y), in PyTorch's
    /// order of float operations (<c>sigmoid_backward</c>).
    /// </summary>
    public readonly struct Backward : IElementwiseBinaryOperator
    {
        public float Invoke(float x, float y) => x * (1f - y) * y;

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * (Vector128<float>.One - y) * y;

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * (Vector256<float>.One - y) * y;

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * (Vector512<float>.One - y) * y;
    }
}
