using System.Buffers.Binary;

namespace Convolve.Imaging;

/// <summary>
/// Checks the container structure of a PNG or JPEG file before it is decoded. ImageSharp decodes a
/// PNG that stops inside its image data, or lacks its end chunk, and a JPEG cut off in its scan,
/// as a picture with black rows; Convolve refuses such files instead, naming what is missing and
/// where. PNG (spec sections 5.2–5.6): the 8-byte signature, then chunks of length, type, data and
/// a CRC over type and data, ending with IEND. JPEG (ITU T.81 annex B): the SOI marker FFD8 and an
/// EOI marker FFD9 after the last start-of-scan FFDA (entropy-coded data never holds FFD9: a data
/// byte FF is stuffed as FF00).
/// </summary>
internal static class PictureStructure
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>True if the bytes start with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.StartsWith(PngSignature);

    /// <summary>True if the bytes start with a JPEG SOI marker.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;

    /// <summary>Walks every PNG chunk, checks its length and CRC, and requires IHDR first and IEND last.</summary>
    /// <exception cref="ImageFileException">The structure is broken; the message gives the offset.</exception>
    public static void ValidatePng(ReadOnlySpan<byte> bytes, string path)
    {
        int offset = PngSignature.Length;
        bool first = true;
        while (true)
        {
            if (bytes.Length - offset < 12)
            {
                throw new ImageFileException(path, $"truncated PNG: at byte {offset} a chunk (12 bytes or more) was expected but the file ends after {bytes.Length} bytes, before the IEND chunk");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
            string type = System.Text.Encoding.ASCII.GetString(bytes.Slice(offset + 4, 4));
            if (length > int.MaxValue || bytes.Length - offset - 12 < (long)length)
            {
                throw new ImageFileException(path, $"truncated PNG: the {type} chunk at byte {offset} declares {length} data bytes but only {bytes.Length - offset - 12} remain");
            }
            if (first && type != "IHDR")
            {
                throw new ImageFileException(path, $"broken PNG: the first chunk (byte {offset}) must be IHDR but is '{type}'");
            }
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(bytes[(offset + 8 + (int)length)..]);
            uint computed = Crc32.Compute(bytes.Slice(offset + 4, 4 + (int)length));
            if (stored != computed)
            {
                throw new ImageFileException(path, $"corrupt PNG: the CRC of the {type} chunk at byte {offset} is 0x{stored:X8} but its contents give 0x{computed:X8}");
            }
            if (type == "IEND")
            {
                return;
            }
            offset += 12 + (int)length;
            first = false;
        }
    }

    /// <summary>Requires an EOI marker after the last start-of-scan marker.</summary>
    /// <exception cref="ImageFileException">The scan is cut off.</exception>
    public static void ValidateJpeg(ReadOnlySpan<byte> bytes, string path)
    {
        int scan = bytes.LastIndexOf([(byte)0xFF, (byte)0xDA]);
        if (scan < 0)
        {
            throw new ImageFileException(path, $"truncated JPEG: no start-of-scan marker (FFDA) in its {bytes.Length} bytes");
        }
        if (bytes[scan..].IndexOf([(byte)0xFF, (byte)0xD9]) < 0)
        {
            throw new ImageFileException(path, $"truncated JPEG: the scan that starts at byte {scan} has no end-of-image marker (FFD9); the file ends after {bytes.Length} bytes");
        }
    }
}
