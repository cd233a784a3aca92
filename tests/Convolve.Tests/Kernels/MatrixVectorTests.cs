using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Tests.Kernels;

/// <summary>The few-row fully connected kernel against a float64 loop, at every SIMD level, with and without bias, and lengths around the vector widths.</summary>
public class MatrixVectorTests
{
    public static TheoryData<SimdLevel> Levels => new(Enum.GetValues<SimdLevel>());

    [Theory]
    [MemberData(nameof(Levels))]
    public void Matches_the_float64_reference(SimdLevel level)
    {
        foreach (int inFeatures in new[] { 1, 7, 16, 31, 32, 33, 100, 3136 })
        {
            foreach (int rows in new[] { 1, 2, MatrixVector.MaxRows })
            {
                foreach (bool withBias in new[] { false, true })
                {
                    const int outFeatures = 9;
                    float[] x = Tensor.RandomNormal(new Shape(rows, inFeatures), (ulong)inFeatures).Data;
                    float[] weight = Tensor.RandomNormal(new Shape(outFeatures, inFeatures), (ulong)(inFeatures + 1)).Data;
                    float[] bias = withBias ? Tensor.RandomNormal(new Shape(outFeatures), 5).Data : [];
                    var output = new float[rows * outFeatures];
                    MatrixVector.Multiply(x, rows, inFeatures, weight, outFeatures, bias, output, level);
                    for (int r = 0; r < rows; r++)
                    {
                        for (int o = 0; o < outFeatures; o++)
                        {
                            double expected = withBias ? bias[o] : 0, magnitude = Math.Abs(expected);
                            for (int i = 0; i < inFeatures; i++)
                            {
                                expected += (double)x[(r * inFeatures) + i] * weight[(o * inFeatures) + i];
                                magnitude += Math.Abs((double)x[(r * inFeatures) + i] * weight[(o * inFeatures) + i]);
                            }
                            double actual = output[(r * outFeatures) + o];
                            Assert.True(Math.Abs(actual - expected) <= 1e-6 * (magnitude + 1),
                                $"{level}, {rows}×{inFeatures} bias {withBias}: output [{r}, {o}] is {actual}, float64 gives {expected}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Short_operands_are_refused_with_their_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => MatrixVector.Multiply(new float[3], 1, 4, new float[8], 2, [], new float[2]));
        Assert.Contains("x 3, weight 8, bias 0 or output 2 floats too short for 1 rows, 4 inputs, 2 outputs", error.Message, StringComparison.Ordinal);
    }
}
