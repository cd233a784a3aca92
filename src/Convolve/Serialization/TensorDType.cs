namespace Convolve.Serialization;

/// <summary>
/// The element types a checkpoint can hold. The member names are the safetensors dtype strings
/// written in the file header; all are stored little-endian.
/// </summary>
public enum TensorDType
{
    /// <summary>32-bit IEEE 754 float (<c>"F32"</c>), the engine's storage type.</summary>
    F32,

    /// <summary>64-bit IEEE 754 float (<c>"F64"</c>).</summary>
    F64,

    /// <summary>32-bit signed integer (<c>"I32"</c>).</summary>
    I32,

    /// <summary>64-bit signed integer (<c>"I64"</c>), e.g. step counters and RNG state.</summary>
    I64,

    /// <summary>8-bit unsigned integer (<c>"U8"</c>), e.g. masks and raw bytes.</summary>
    U8,
}
