using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>The hyperbolic tangent and its derivative as element-wise operators.</summary>
internal static class ElementwiseTanh
{
    /// <summary>Below this |x| the series <c>x − x³/3</c> is exact to 1e-13 and avoids the cancellation in <c>1 − e</c>.</summary>
    private const double SeriesLimit = 1.0 / 1024;

    /// <summary>
    /// <c>y = tanh(x) = sign(x)·(1 − e)/(1 + e)</c> with <c>e = exp(−2|x|) ≤ 1</c>, in double so that
    /// the float result is correctly rounded but for rare ties; it saturates to ±1 without overflow.
    /// </summary>
    public readonly struct Forward : IElementwiseUnaryOperator
    {
        public float Invoke(float x)
        {
            double y = Math.Abs((double)x);
            double e = Math.Exp(-2.0 * y);
            double magnitude = y < SeriesLimit ? y - y * y * y * (1.0 / 3) : (1.0 - e) / (1.0 + e);
            return (float)Math.CopySign(magnitude, x);
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var (lower, upper) = Vector128.Widen(x);
            return Vector128.Narrow(Tanh(lower), Tanh(upper));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var (lower, upper) = Vector256.Widen(x);
            return Vector256.Narrow(Tanh(lower), Tanh(upper));
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var (lower, upper) = Vector512.Widen(x);
            return Vector512.Narrow(Tanh(lower), Tanh(upper));
        }

        private static Vector128<double> Tanh(Vector128<double> x)
        {
            Vector128<double> y = Vector128.Abs(x), one = Vector128<double>.One;
            Vector128<double> e = Vector128.Exp(y * -2.0);
            Vector128<double> series = y - y * y * y * (1.0 / 3);
            Vector128<double> magnitude = Vector128.ConditionalSelect(Vector128.LessThan(y, Vector128.Create(SeriesLimit)), series, (one - e) / (one + e));
            return Vector128.CopySign(magnitude, x);
        }

        private static Vector256<double> Tanh(Vector256<double> x)
        {
            Vector256<double> y = Vector256.Abs(x), one = Vector256<double>.One;
            Vector256<double> e = Vector256.Exp(y * -2.0);
            Vector256<double> series = y - y * y * y * (1.0 / 3);
            Vector256<double> magnitude = Vector256.ConditionalSelect(Vector256.LessThan(y, Vector256.Create(SeriesLimit)), series, (one - e) / (one + e));
            return Vector256.CopySign(magnitude, x);
        }

        private static Vector512<double> Tanh(Vector512<double> x)
        {
            Vector512<double> y = Vector512.Abs(x), one = Vector512<double>.One;
            Vector512<double> e = Vector512.Exp(y * -2.0);
            Vector512<double> series = y - y * y * y * (1.0 / 3);
            Vector512<double> magnitude = Vector512.ConditionalSelect(Vector512.LessThan(y, Vector512.Create(SeriesLimit)), series, (one - e) / (one + e));
            return Vector512.CopySign(magnitude, x);
        }
    }

    /// <summary>
    /// <c>gradInput = gradOutput·(1 − y²)</c> with operands (gradOutput, output y), in PyTorch's
    /// order of float operations (<c>tanh_backward</c>).
    /// </summary>
    public readonly struct Backward : IElementwiseBinaryOperator
    {
        public float Invoke(float x, float y) => x * (1f - y * y);

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * (Vector128<float>.One - y * y);

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * (Vector256<float>.One - y * y);

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * (Vector512<float>.One - y * y);
    }
}
