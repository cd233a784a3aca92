using System.Buffers.Binary;
using System.IO.Compression;
using Convolve.Data;

namespace Convolve.Tests.Cli;

/// <summary>Copies of the bundled sample with one thing changed, as a user's data folder might be.</summary>
internal static class DataFolders
{
    /// <summary>The four sample files, still gzip-compressed, in <c>parent/name</c>.</summary>
    public static string Copy(string parent, string name)
    {
        string target = Path.Combine(parent, name);
        Directory.CreateDirectory(target);
        foreach (string stem in DatasetLocator.FileStems)
        {
            File.Copy(Path.Combine(DatasetLocator.SampleDirectory, stem + ".gz"), Path.Combine(target, stem + ".gz"));
        }
        return target;
    }

    /// <summary>The last label of the <paramref name="set"/> ("train" or "t10k") removed, so images and labels disagree.</summary>
    public static string WithLabelsDropped(string parent, string set)
    {
        string folder = Copy(parent, $"{set}-labels-dropped");
        Rewrite(folder, $"{set}-labels-idx1-ubyte", bytes =>
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)) - 1);
            return bytes[..^1];
        });
        return folder;
    }

    /// <summary>A training set of zero images and zero labels.</summary>
    public static string WithEmptyTrainingSet(string parent)
    {
        string folder = Copy(parent, "empty");
        Rewrite(folder, "train-images-idx3-ubyte", _ => [0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28]);
        Rewrite(folder, "train-labels-idx1-ubyte", _ => [0, 0, 8, 1, 0, 0, 0, 0]);
        return folder;
    }

    /// <summary>The training images' element type byte set to <paramref name="type"/>.</summary>
    public static string WithTrainImageType(string parent, byte type)
    {
        string folder = Copy(parent, $"images-type-{type}");
        Rewrite(folder, "train-images-idx3-ubyte", bytes =>
        {
            bytes[2] = type;
            return bytes;
        });
        return folder;
    }

    /// <summary>Replaces <c>stem.gz</c> by the raw file <c>stem</c> with <paramref name="edit"/> applied to its decompressed bytes.</summary>
    public static void Rewrite(string folder, string stem, Func<byte[], byte[]> edit)
    {
        string compressed = Path.Combine(folder, stem + ".gz");
        using var raw = new MemoryStream();
        using (var gzip = new GZipStream(File.OpenRead(compressed), CompressionMode.Decompress))
        {
            gzip.CopyTo(raw);
        }
        File.Delete(compressed);
        File.WriteAllBytes(Path.Combine(folder, stem), edit(raw.ToArray()));
    }
}
