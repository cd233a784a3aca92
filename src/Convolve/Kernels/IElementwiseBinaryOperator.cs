using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// A function <c>z = f(x, y)</c> of two aligned elements, such as a backward pass
/// <c>gradInput = f(gradOutput, savedOutput)</c>, written once per width for <see cref="Elementwise"/>.
/// </summary>
internal interface IElementwiseBinaryOperator
{
    /// <summary>One element.</summary>
    float Invoke(float x, float y);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
