using Convolve.Imaging;
using Convolve.Tensors;

namespace Convolve.Tests.Imaging;

/// <summary>Pictures made for tests: written with Convolve.Imaging into a temporary folder, and broken copies of them.</summary>
internal sealed class PictureFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("convolve-pictures-").FullName;

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>A 37×23 RGB gradient with a noisy green channel, so its PNG has a sizeable image-data chunk.</summary>
    public static Tensor Gradient(int height = 23, int width = 37)
    {
        var picture = new Tensor(new Shape(3, height, width));
        var random = new RandomSource(3);
        int plane = height * width;
        for (int i = 0; i < plane; i++)
        {
            picture.Data[i] = (float)(i % width) / (width - 1);
            picture.Data[plane + i] = (float)random.NextDouble();
            picture.Data[2 * plane + i] = (float)(i / width) / (height - 1);
        }
        return picture;
    }

    public string Write(string name, Tensor picture)
    {
        string path = PathOf(name);
        ImageFile.WritePng(path, picture);
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
