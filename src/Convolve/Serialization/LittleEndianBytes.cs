using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Convolve.Serialization;

/// <summary>
/// Converts between typed values and the little-endian bytes of a checkpoint. On little-endian
/// hosts (all current .NET platforms) this is a plain copy; big-endian hosts swap each element.
/// </summary>
internal static class LittleEndianBytes
{
    public static byte[] FromValues<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(values).ToArray();
        SwapIfBigEndian(bytes, Unsafe.SizeOf<T>());
        return bytes;
    }

    public static T[] ToValues<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged
    {
        var values = new T[bytes.Length / Unsafe.SizeOf<T>()];
        Span<byte> target = MemoryMarshal.AsBytes(values.AsSpan());
        bytes.CopyTo(target);
        SwapIfBigEndian(target, Unsafe.SizeOf<T>());
        return values;
    }

    private static void SwapIfBigEndian(Span<byte> bytes, int elementSize)
    {
        if (BitConverter.IsLittleEndian || elementSize == 1)
        {
            return;
        }
        for (int i = 0; i < bytes.Length; i += elementSize)
        {
            bytes.Slice(i, elementSize).Reverse();
        }
    }
}
