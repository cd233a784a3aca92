using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Data;

/// <summary>Turns IDX image and label files into the arrays a <see cref="Dataset"/> holds.</summary>
internal static class DatasetFile
{
    /// <summary>Reads images as float32 <c>[N, C, H, W]</c>; unsigned bytes are divided by 255.</summary>
    public static Tensor ReadImages(string path)
    {
        var idx = IdxFile.Read(path);
        int[] dimensions = idx.Shape.Rank switch
        {
            3 => [idx.Shape[0], 1, idx.Shape[1], idx.Shape[2]],
            4 => idx.Shape.ToArray(),
            _ => throw new IdxFormatException(path, 3, $"expected images of rank 3 [N, H, W] or 4 [N, C, H, W] but found rank {idx.Shape.Rank} {idx.Shape}"),
        };
        var images = new Tensor(new Shape(dimensions));
        // The element type decides, not the array's runtime type: the CLR lets an sbyte[] pass as a
        // byte[], so "case byte[]" would read signed bytes as unsigned.
        switch (idx.ElementType)
        {
            case IdxElementType.UnsignedByte:
                ScaleBytes(idx.GetData<byte>(), images.Span);
                break;
            case IdxElementType.Float32:
                idx.GetData<float>().CopyTo(images.Span);
                break;
            case IdxElementType.Float64:
                double[] doubles = idx.GetData<double>();
                for (int i = 0; i < doubles.Length; i++)
                {
                    images.Data[i] = (float)doubles[i];
                }
                break;
            default:
                throw new IdxFormatException(path, 2,
                    $"expected images of element type ubyte (0x08), float32 (0x0D) or float64 (0x0E) but found {IdxArray.Describe(idx.ElementType)}");
        }
        return images;
    }

    /// <summary>Reads rank-1 integer labels and checks each is in [0, <paramref name="classes"/>).</summary>
    public static int[] ReadLabels(string path, int classes)
    {
        var idx = IdxFile.Read(path);
        if (idx.Shape.Rank != 1)
        {
            throw new IdxFormatException(path, 3, $"expected labels of rank 1 [N] but found rank {idx.Shape.Rank} {idx.Shape}");
        }
        int[] labels = idx.ElementType switch
        {
            IdxElementType.UnsignedByte => Array.ConvertAll(idx.GetData<byte>(), x => (int)x),
            IdxElementType.SignedByte => Array.ConvertAll(idx.GetData<sbyte>(), x => (int)x),
            IdxElementType.Int16 => Array.ConvertAll(idx.GetData<short>(), x => (int)x),
            IdxElementType.Int32 => idx.GetData<int>(),
            _ => throw new IdxFormatException(path, 2, $"expected labels of an integer element type but found {IdxArray.Describe(idx.ElementType)}"),
        };
        int headerLength = 4 + 4 * idx.Shape.Rank, elementSize = IdxArray.ElementSize(idx.ElementType);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new IdxFormatException(path, headerLength + (long)i * elementSize, $"label {i} is {labels[i]}, outside the classes [0, {classes})");
            }
        }
        return labels;
    }

    /// <summary>x / 255 in float32 through a 256-entry table, exactly as <c>tensor.float().div(255)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleBytes(ReadOnlySpan<byte> bytes, Span<float> output)
    {
        Span<float> table = stackalloc float[256];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = i / 255f;
        }
        for (int i = 0; i < bytes.Length; i++)
        {
            output[i] = table[bytes[i]];
        }
    }
}
