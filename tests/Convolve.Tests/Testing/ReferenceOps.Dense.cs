namespace Convolve.Tests.Testing;

/// <summary>Float64 reference twins of the dense layers, activations and losses, straight from their definitions.</summary>
public static partial class ReferenceOps
{
    /// <summary><c>output[r, o] = Σ_i input[r, i]·weight[o, i] + bias[o]</c> for <paramref name="rows"/> rows.</summary>
    public static double[] LinearForward(float[] input, float[] weight, float[]? bias, int rows, int inFeatures, int outFeatures)
    {
        var output = new double[rows * outFeatures];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = bias is null ? 0 : bias[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += (double)input[r * inFeatures + i] * weight[o * inFeatures + i];
                }
                output[r * outFeatures + o] = sum;
            }
        }
        return output;
    }

    /// <summary>
    /// The three gradients of Linear from the chain rule:
    /// <c>∂L/∂input[r,i] = Σ_o g[r,o]·w[o,i]</c>, <c>∂L/∂w[o,i] = Σ_r g[r,o]·input[r,i]</c>, <c>∂L/∂b[o] = Σ_r g[r,o]</c>.
    /// </summary>
    public static (double[] GradInput, double[] GradWeight, double[] GradBias) LinearBackward(
        float[] input, float[] weight, float[] gradOutput, int rows, int inFeatures, int outFeatures)
    {
        var gradInput = new double[rows * inFeatures];
        var gradWeight = new double[outFeatures * inFeatures];
        var gradBias = new double[outFeatures];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double g = gradOutput[r * outFeatures + o];
                gradBias[o] += g;
                for (int i = 0; i < inFeatures; i++)
                {
                    gradInput[r * inFeatures + i] += g * weight[o * inFeatures + i];
                    gradWeight[o * inFeatures + i] += g * input[r * inFeatures + i];
                }
            }
        }
        return (gradInput, gradWeight, gradBias);
    }

    /// <summary>max(x, 0); NaN propagates (Math.Max).</summary>
    public static double Relu(double x) => Math.Max(x, 0.0);

    /// <summary>x for x &gt; 0, slope·x otherwise.</summary>
    public static double LeakyRelu(double x, double slope) => x > 0 ? x : slope * x;

    /// <summary>1 / (1 + e^(−x)), the definition; in double it neither overflows to NaN nor loses tiny values for |x| ≤ 700.</summary>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>tanh from the runtime (Math.Tanh), independent of the kernel's formula.</summary>
    public static double Tanh(double x) => Math.Tanh(x);

    /// <summary>ReLU's derivative times g, with the derivative at 0 taken as 0 (PyTorch).</summary>
    public static double ReluBackward(double gradOutput, double output) => output > 0 ? gradOutput : 0;

    /// <summary>Leaky ReLU's derivative (1 or slope, decided by the input) times g.</summary>
    public static double LeakyReluBackward(double gradOutput, double input, double slope) => input > 0 ? gradOutput : slope * gradOutput;

    /// <summary>σ′ = σ(1 − σ), from the output.</summary>
    public static double SigmoidBackward(double gradOutput, double output) => gradOutput * output * (1 - output);

    /// <summary>tanh′ = 1 − tanh², from the output.</summary>
    public static double TanhBackward(double gradOutput, double output) => gradOutput * (1 - output * output);

    /// <summary>Applies <paramref name="f"/> to every element in double.</summary>
    public static double[] Map(float[] x, Func<double, double> f) => Array.ConvertAll(x, v => f(v));

    /// <summary>Applies <paramref name="f"/> to aligned pairs in double.</summary>
    public static double[] Map(float[] x, float[] y, Func<double, double, double> f)
    {
        var result = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = f(x[i], y[i]);
        }
        return result;
    }

    /// <summary>
    /// Cross-entropy against the smoothed target distribution <c>q = (1 − ε)·onehot(t) + ε/C</c>:
    /// <c>loss_n = −Σ_c q_c·log p_c</c> with <c>p = softmax(x)</c>, summed or averaged over n, and
    /// its gradient <c>(p − q)</c> (÷ N for the mean). The softmax is shifted by the row maximum, an
    /// identity that keeps it finite for huge logits.
    /// </summary>
    public static (double Loss, double[] Grad) CrossEntropy(float[] logits, int n, int c, int[] targets, double smoothing, bool mean)
    {
        double total = 0;
        var grad = new double[n * c];
        double scale = mean ? 1.0 / n : 1.0;
        for (int row = 0; row < n; row++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < c; j++)
            {
                max = Math.Max(max, logits[row * c + j]);
            }
            var shifted = new double[c];
            double sum = 0;
            for (int j = 0; j < c; j++)
            {
                shifted[j] = Math.Exp(logits[row * c + j] - max);
                sum += shifted[j];
            }
            for (int j = 0; j < c; j++)
            {
                double p = shifted[j] / sum;
                double logP = logits[row * c + j] - max - Math.Log(sum);
                double q = (j == targets[row] ? 1 - smoothing : 0) + smoothing / c;
                total -= q * logP;
                grad[row * c + j] = (p - q) * scale;
            }
        }
        return (total * scale, grad);
    }

    /// <summary><c>Σ (x − t)²</c> (÷ count for the mean) and its gradient <c>2(x − t)</c> (÷ count).</summary>
    public static (double Loss, double[] Grad) MeanSquaredError(float[] input, float[] target, bool mean)
    {
        double scale = mean ? 1.0 / input.Length : 1.0;
        double total = 0;
        var grad = new double[input.Length];
        for (int i = 0; i < input.Length; i++)
        {
            double d = (double)input[i] - target[i];
            total += d * d;
            grad[i] = 2 * d * scale;
        }
        return (total * scale, grad);
    }
}
