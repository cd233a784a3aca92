using Convolve.Tensors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using Convolve.Serialization;

namespace Convolve.Imaging;

/// <summary>An animated GIF from frames of Shape [3, H, W] (or [1, H, W]) in [0, 1], all of one size, looping forever.</summary>
public static class AnimatedGif
{
    /// <summary>Encodes the frames, each shown for <paramref name="delayCentiseconds"/> hundredths of a second.</summary>
    /// <exception cref="ArgumentException">No frames, frames of different shapes, or a delay below 1.</exception>
    public static byte[] Encode(IReadOnlyList<Tensor> frames, int delayCentiseconds = 50)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException("an animation needs at least one frame", nameof(frames));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(delayCentiseconds, 1);
        using Image<Rgb24> animation = ToRgb(frames[0]);
        animation.Metadata.GetGifMetadata().RepeatCount = 0;
        animation.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = delayCentiseconds;
        for (int i = 1; i < frames.Count; i++)
        {
            if (frames[i].Shape != frames[0].Shape)
            {
                throw new ArgumentException($"frame {i} has shape {frames[i].Shape} but frame 0 has {frames[0].Shape}", nameof(frames));
            }
            using Image<Rgb24> frame = ToRgb(frames[i]);
            ImageFrame<Rgb24> added = animation.Frames.AddFrame(frame.Frames.RootFrame);
            added.Metadata.GetGifMetadata().FrameDelay = delayCentiseconds;
        }
        using var stream = new MemoryStream();
        animation.SaveAsGif(stream);
        return stream.ToArray();
    }

    /// <summary>Writes the animation atomically.</summary>
    public static void Write(string path, IReadOnlyList<Tensor> frames, int delayCentiseconds = 50) =>
        AtomicFile.WriteAllBytes(path, Encode(frames, delayCentiseconds));

    private static Image<Rgb24> ToRgb(Tensor frame)
    {
        using Image image = PixelConversion.ToImage(frame);
        return image.CloneAs<Rgb24>();
    }
}
