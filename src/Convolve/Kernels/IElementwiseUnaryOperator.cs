using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// A function <c>y = f(x)</c> written once per width so that <see cref="Elementwise"/> can run it
/// with any vector width and finish with a scalar tail. Implementations are small structs: the JIT
/// specialises the driver for each and inlines these methods.
/// </summary>
internal interface IElementwiseUnaryOperator
{
    /// <summary>One element.</summary>
    float Invoke(float x);

    /// <summary>Four elements.</summary>
    Vector128<float> Invoke(Vector128<float> x);

    /// <summary>Eight elements.</summary>
    Vector256<float> Invoke(Vector256<float> x);

    /// <summary>Sixteen elements.</summary>
    Vector512<float> Invoke(Vector512<float> x);
}
