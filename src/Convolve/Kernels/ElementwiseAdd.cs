using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary><c>z = x + y</c>, element by element (a residual block sums its two paths with it).</summary>
internal readonly struct ElementwiseAdd : IElementwiseBinaryOperator
{
    public float Invoke(float x, float y) => x + y;

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x + y;

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
}
