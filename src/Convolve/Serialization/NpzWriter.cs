using System.IO.Compression;
using System.Text;

namespace Convolve.Serialization;

/// <summary>
/// Writes tensors as a numpy <c>.npz</c> archive: a zip file with one <c>NAME.npy</c> entry per
/// tensor (format 1.0: the magic <c>\x93NUMPY</c>, a little-endian header length, a Python-literal
/// header with dtype, order and shape padded to a multiple of 64 bytes, then the raw data), so
/// that <c>numpy.load(path)[name]</c> returns each tensor. The file is written atomically: a
/// temporary file in the same folder is renamed over the target only when complete.
/// </summary>
public static class NpzWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, IEnumerable<TensorData> tensors)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        AtomicFile.Write(path, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            foreach (TensorData tensor in tensors)
            {
                using Stream entry = zip.CreateEntry(tensor.Name + ".npy", CompressionLevel.Fastest).Open();
                WriteNpy(entry, tensor);
            }
        }, createFolder: false);
    }

    /// <summary>Writes one tensor in the <c>.npy</c> format 1.0.</summary>
    public static void WriteNpy(Stream stream, TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        string shape = tensor.Shape.Rank switch
        {
            0 => "()",
            1 => $"({tensor.Shape[0]},)",
            _ => "(" + string.Join(", ", tensor.Shape) + ")",
        };
        string header = $"{{'descr': '{Descriptor(tensor.DType)}', 'fortran_order': False, 'shape': {shape}, }}";
        // magic (6) + version (2) + length (2) + header + '\n' must be a multiple of 64.
        int padded = (10 + header.Length + 1 + 63) / 64 * 64 - 10;
        header = header.PadRight(padded - 1) + "\n";
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(tensor.Bytes);
    }

    private static string Descriptor(TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => "<f4",
        TensorDType.F64 => "<f8",
        TensorDType.I32 => "<i4",
        TensorDType.I64 => "<i8",
        TensorDType.U8 => "|u1",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no numpy descriptor for this dtype"),
    };
}
