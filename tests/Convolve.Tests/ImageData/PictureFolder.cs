using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Convolve.Tests.ImageData;

/// <summary>
/// A small generated folder of pictures in torchvision's ImageFolder layout: class c's pictures are
/// one solid colour (<see cref="Colours"/>), of assorted sizes and in PNG, JPEG and BMP, so every
/// resized pixel of a PNG or BMP picture is exactly that colour and the classes are easy to learn.
/// </summary>
internal sealed class PictureFolder : IDisposable
{
    public static readonly Rgb24[] Colours = [new(200, 30, 30), new(30, 180, 40), new(20, 40, 210)];

    public static readonly string[] Names = ["apple", "leaf", "sky"];

    public string Root { get; } = Directory.CreateTempSubdirectory("convolve-image-folder-").FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Writes <paramref name="perClass"/> pictures of every class under <paramref name="folder"/> (relative to the root).</summary>
    public string Write(string folder, int perClass, string[]? extensions = null)
    {
        string[] kinds = extensions ?? [".png", ".png", ".bmp", ".jpg"];
        for (int c = 0; c < Colours.Length; c++)
        {
            string classFolder = Path.Combine(Root, folder, Names[c]);
            Directory.CreateDirectory(classFolder);
            for (int i = 0; i < perClass; i++)
            {
                using var image = new Image<Rgb24>(9 + 7 * (i % 3), 11 + 5 * (i % 4), Colours[c]);
                string path = Path.Combine(classFolder, $"{i:D3}{kinds[i % kinds.Length]}");
                image.Save(path);
            }
        }
        return Path.Combine(Root, folder);
    }
}
