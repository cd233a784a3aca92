using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Data;

/// <summary>
/// Training-time augmentation applied by <see cref="DataLoader"/>, drawn from its seeded generator:
/// a random crop of the original size from the image padded by <see cref="CropPadding"/> black
/// pixels on every side (torchvision's <c>RandomCrop(size, padding)</c>), then a horizontal flip
/// with probability ½ (<c>RandomHorizontalFlip</c>). Per item it draws the row offset, the column
/// offset (when padding is non-zero) and the flip (when enabled), in that order.
/// </summary>
public sealed class Augmentation
{
    /// <summary>Creates the augmentation; all defaults mean no change.</summary>
    /// <exception cref="ArgumentException"><paramref name="cropPadding"/> is negative.</exception>
    public Augmentation(int cropPadding = 0, bool horizontalFlip = false)
    {
        if (cropPadding < 0)
        {
            throw new ArgumentException($"cropPadding must be non-negative but got {cropPadding}", nameof(cropPadding));
        }
        CropPadding = cropPadding;
        HorizontalFlip = horizontalFlip;
    }

    /// <summary>The zero padding added on each side before the random crop (0: no crop).</summary>
    public int CropPadding { get; }

    /// <summary>Whether images are mirrored left–right with probability ½.</summary>
    public bool HorizontalFlip { get; }

    /// <summary>
    /// Writes an augmented copy of one item into <paramref name="output"/>.
    /// </summary>
    /// <param name="input">One item, <c>Shape [C, H, W]</c>.</param>
    /// <param name="output">Same shape as the input.</param>
    /// <param name="itemShape">[C, H, W].</param>
    /// <param name="blackValues">The value of a black pixel in each channel, in the data set's (possibly normalised) scale.</param>
    /// <param name="random">The generator the offsets and flip are drawn from.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Apply(ReadOnlySpan<float> input, Span<float> output, Shape itemShape, ReadOnlySpan<float> blackValues, RandomSource random)
    {
        int channels = itemShape[0], height = itemShape[1], width = itemShape[2], p = CropPadding;
        int dy = p > 0 ? random.NextInt(2 * p + 1) - p : 0;
        int dx = p > 0 ? random.NextInt(2 * p + 1) - p : 0;
        bool flip = HorizontalFlip && (random.NextUInt64() >> 63) != 0;
        for (int c = 0; c < channels; c++)
        {
            float blackValue = blackValues[c];
            for (int y = 0; y < height; y++)
            {
                // output[y, x] = padded[y + dy + p, x' + dx + p] with x' = x, or W − 1 − x when flipped.
                var outputRow = output.Slice((c * height + y) * width, width);
                int sourceY = y + dy;
                if ((uint)sourceY >= (uint)height)
                {
                    outputRow.Fill(blackValue);
                    continue;
                }
                var inputRow = input.Slice((c * height + sourceY) * width, width);
                for (int x = 0; x < width; x++)
                {
                    int sourceX = (flip ? width - 1 - x : x) + dx;
                    outputRow[x] = (uint)sourceX < (uint)width ? inputRow[sourceX] : blackValue;
                }
            }
        }
    }
}
