namespace Convolve.Kernels;

/// <summary>The vector width the <see cref="Elementwise"/> driver processes per step.</summary>
internal enum ElementwiseWidth
{
    /// <summary>One element at a time.</summary>
    Scalar,

    /// <summary><see cref="System.Runtime.Intrinsics.Vector128{T}"/>: 4 floats per step.</summary>
    Vector128,

    /// <summary><see cref="System.Runtime.Intrinsics.Vector256{T}"/>: 8 floats per step.</summary>
    Vector256,

    /// <summary><see cref="System.Runtime.Intrinsics.Vector512{T}"/>: 16 floats per step.</summary>
    Vector512,
}
