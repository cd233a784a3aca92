namespace Convolve.Data;

/// <summary>The element type code of an IDX file (its third magic byte), as defined by LeCun's MNIST format.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name",
    Justification = "The members name the IDX format's element types, which are machine types by definition.")]
public enum IdxElementType : byte
{
    /// <summary>0x08: unsigned byte (MNIST images and labels).</summary>
    UnsignedByte = 0x08,

    /// <summary>0x09: signed byte.</summary>
    SignedByte = 0x09,

    /// <summary>0x0B: big-endian 16-bit integer.</summary>
    Int16 = 0x0B,

    /// <summary>0x0C: big-endian 32-bit integer.</summary>
    Int32 = 0x0C,

    /// <summary>0x0D: big-endian IEEE 754 float32.</summary>
    Float32 = 0x0D,

    /// <summary>0x0E: big-endian IEEE 754 float64.</summary>
    Float64 = 0x0E,
}
