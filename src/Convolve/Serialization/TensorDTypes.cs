namespace Convolve.Serialization;

/// <summary>Sizes and header names of <see cref="TensorDType"/> values.</summary>
public static class TensorDTypes
{
    /// <summary>Bytes per element: 4 for F32 and I32, 8 for F64 and I64, 1 for U8.</summary>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F64 or TensorDType.I64 => 8,
        TensorDType.U8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The safetensors header string, e.g. <c>"F32"</c>.</summary>
    public static string HeaderName(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => "F32",
        TensorDType.F64 => "F64",
        TensorDType.I32 => "I32",
        TensorDType.I64 => "I64",
        TensorDType.U8 => "U8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>
    /// Parses a header dtype string exactly (case-sensitive, no numeric aliases, unlike
    /// <see cref="Enum.TryParse{TEnum}(string, out TEnum)"/>).
    /// </summary>
    public static bool TryParse(string? name, out TensorDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = TensorDType.F32; return true;
            case "F64": dtype = TensorDType.F64; return true;
            case "I32": dtype = TensorDType.I32; return true;
            case "I64": dtype = TensorDType.I64; return true;
            case "U8": dtype = TensorDType.U8; return true;
            default: dtype = default; return false;
        }
    }
}
