using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Convolve.Kernels;

/// <summary>
/// Per-thread packing buffers, grown on demand and then reused: in steady state a GEMM allocates
/// nothing and touches no fresh pages (a page fault costs about 10 µs on the VMs this runs on).
/// The arrays live on the pinned object heap so their 64-byte-aligned interior pointers stay valid.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    private const int AlignmentFloats = 16;

    [ThreadStatic]
    private static GemmWorkspace? current;

    private float[] packedA = [];
    private float[] packedB = [];
    private float[] tile = [];

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => current ??= new GemmWorkspace();

    /// <summary>A buffer of at least <paramref name="length"/> floats for packed A panels.</summary>
    public float* PackedA(int length) => Ensure(ref packedA, length);

    /// <summary>A buffer of at least <paramref name="length"/> floats for packed B panels.</summary>
    public float* PackedB(int length) => Ensure(ref packedB, length);

    /// <summary>A buffer of at least <paramref name="length"/> floats for an edge tile.</summary>
    public float* Tile(int length) => Ensure(ref tile, length);

    private static float* Ensure(ref float[] buffer, int length)
    {
        if (buffer.Length < length + AlignmentFloats)
        {
            buffer = GC.AllocateUninitializedArray<float>(length + AlignmentFloats, pinned: true);
        }
        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)((start + (AlignmentFloats * sizeof(float) - 1)) & ~(nint)(AlignmentFloats * sizeof(float) - 1));
    }
}
