using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

/// <summary>
/// Results do not depend on the thread count: training steps of every zoo model, with every
/// convolution algorithm, give bit-identical logits and weights on 1, 2 and 3 threads (the batch
/// of 12 spans several work items in every split: images, channels, weight-gradient chunks). The
/// small models run under every algorithm on 28×28 images; the torchvision-sized ones (11.7 M
/// parameters for resnet18) once each, under Auto, on 8×8 images (their CIFAR stems keep the blocks'
/// shapes), which keeps the test's time to seconds.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // sets the process-wide Parallelism.MaxThreads
public class ThreadCountTests
{
    public static TheoryData<string, ConvolutionAlgorithm, int> Cases()
    {
        var data = new TheoryData<string, ConvolutionAlgorithm, int>();
        foreach (string model in ModelZoo.SmallNames)
        {
            foreach (ConvolutionAlgorithm algorithm in new[] { ConvolutionAlgorithm.Im2Col, ConvolutionAlgorithm.Direct, ConvolutionAlgorithm.Winograd, ConvolutionAlgorithm.Auto })
            {
                data.Add(model, algorithm, 28);
            }
        }
        foreach (string model in ModelZoo.Names.Except(ModelZoo.SmallNames))
        {
            data.Add(model, ConvolutionAlgorithm.Auto, 8);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_steps_are_bit_identical_on_one_two_and_three_threads(string name, ConvolutionAlgorithm algorithm, int size)
    {
        int saved = Parallelism.MaxThreads;
        ConvolutionAlgorithm savedDefault = ConvolutionAlgorithms.Default;
        try
        {
            ConvolutionAlgorithms.Default = algorithm;
            var runs = new List<List<float[]>>();
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxThreads = threads;
                runs.Add(TrainSteps(name, size));
            }
            for (int run = 1; run < runs.Count; run++)
            {
                for (int i = 0; i < runs[0].Count; i++)
                {
                    TensorAssert.Identical(runs[0][i], runs[run][i], $"{name}, {algorithm}, snapshot {i}, {run + 1} threads against 1");
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
            ConvolutionAlgorithms.Default = savedDefault;
        }
    }

    private static List<float[]> TrainSteps(string name, int size)
    {
        var model = ModelZoo.Create(name, imageSize: size, random: new RandomSource(4));
        RandomSource.Global.SetState(new RandomSource(9).GetState()); // vgg-small's dropout draws from it
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.05, momentum: 0.9);
        var loss = new CrossEntropyLoss();
        var snapshots = new List<float[]>();
        for (int step = 0; step < 2; step++)
        {
            var images = Tensor.RandomNormal(new Shape(12, 1, size, size), (ulong)(20 + step));
            optimizer.ZeroGrad();
            Tensor logits = model.Forward(images);
            snapshots.Add((float[])logits.Data.Clone());
            loss.Forward(logits, [.. Enumerable.Range(0, 12).Select(i => i % 10)]);
            model.BackwardParametersOnly(loss.Backward());
            optimizer.Step();
        }
        snapshots.Add(model.NamedParameters().SelectMany(p => p.Parameter.Value.Data).ToArray());
        return snapshots;
    }
}
