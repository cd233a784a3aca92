namespace Convolve.Serialization;

/// <summary>
/// CRC-64/XZ (ECMA-182 polynomial 0x42F0E1EBA9EA3693, reflected, initial value and final XOR all
/// ones), the checksum of xz and of Convolve's checkpoints and data fingerprints. Written here
/// because .NET's own CRC-64 lives in a separate package (System.IO.Hashing) and its
/// cryptographic hashes call the operating system's library on Linux. A CRC detects every burst
/// of up to 64 flipped bits and every odd number of flipped bits, which is what corruption on disk
/// or in transfer looks like; it is not a defence against deliberate tampering.
/// </summary>
internal static class Crc64
{
    /// <summary>The state before any byte: all ones.</summary>
    public const ulong Initial = ulong.MaxValue;

    private const ulong ReflectedPolynomial = 0xC96C5795D7870F42;
    private static readonly ulong[] Table = BuildTable();

    /// <summary>The checksum of <paramref name="bytes"/>.</summary>
    public static ulong Compute(ReadOnlySpan<byte> bytes) => Finish(Update(Initial, bytes));

    /// <summary>Feeds <paramref name="bytes"/> into a running state (start from <see cref="Initial"/>).</summary>
    public static ulong Update(ulong state, ReadOnlySpan<byte> bytes)
    {
        ulong[] table = Table;
        foreach (byte b in bytes)
        {
            state = table[(byte)(state ^ b)] ^ (state >> 8);
        }
        return state;
    }

    /// <summary>The checksum of a running state.</summary>
    public static ulong Finish(ulong state) => ~state;

    /// <summary>Sixteen lowercase hex digits, as stored in files.</summary>
    public static string Format(ulong checksum) => checksum.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (int i = 0; i < table.Length; i++)
        {
            ulong value = (ulong)i;
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ ReflectedPolynomial : value >> 1;
            }
            table[i] = value;
        }
        return table;
    }
}
