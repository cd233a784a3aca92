namespace Convolve.Kernels;

/// <summary>The width of the SIMD code paths, from narrowest to widest; ordered so that levels compare.</summary>
public enum SimdLevel
{
    /// <summary>Plain scalar float code; runs everywhere.</summary>
    Scalar = 0,

    /// <summary>128-bit vectors (SSE, Arm AdvSimd).</summary>
    Vector128 = 1,

    /// <summary>256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Vector256 = 2,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512 = 3,
}
