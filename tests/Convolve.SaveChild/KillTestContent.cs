using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.SaveChild;

/// <summary>
/// The two distinguishable checkpoints the child alternates between: sequence numbers that are
/// even hold content "A", odd ones "B". The sequence is stored twice (metadata and an I64
/// tensor) and the 4 MB weights are fixed per content, so a mix of two saves is detectable.
/// </summary>
public static class KillTestContent
{
    /// <summary>Elements of the weights tensor: 4 MB of F32.</summary>
    public const int WeightCount = 1 << 20;

    private static readonly TensorData WeightsA = Weights(true);
    private static readonly TensorData WeightsB = Weights(false);

    /// <summary>"A" for even sequence numbers, "B" for odd ones.</summary>
    public static string ContentOf(long sequence) => sequence % 2 == 0 ? "A" : "B";

    /// <summary>The tensors of save number <paramref name="sequence"/>.</summary>
    public static TensorData[] Tensors(long sequence) =>
    [
        sequence % 2 == 0 ? WeightsA : WeightsB,
        TensorData.Create("sequence", new Shape(1), [sequence]),
    ];

    /// <summary>The metadata of save number <paramref name="sequence"/>.</summary>
    public static Dictionary<string, string> Metadata(long sequence) => new()
    {
        ["sequence"] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["content"] = ContentOf(sequence),
    };

    /// <summary>The weights of content A (<c>a</c> true) or B.</summary>
    public static TensorData Weights(bool a)
    {
        var values = new float[WeightCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = a ? i * 0.001f : -1f - (i % 977);
        }
        return TensorData.Create("weights", new Shape(WeightCount), values);
    }
}
