using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Layers;

/// <summary>
/// With <see cref="Layer.ReuseBuffers"/> on, layers write into their previous result tensors;
/// training must compute exactly the same numbers as with fresh tensors, and the mode must
/// actually reuse (same object returned) and be off by default.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public class ReuseBuffersTests
{
    /// <summary>The small models on 28×28 images, the torchvision-sized ones on 8×8 (their CIFAR stems), to keep the time to seconds.</summary>
    public static TheoryData<string, int> Models()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in ModelZoo.Names)
        {
            data.Add(name, ModelZoo.SmallNames.Contains(name) ? 28 : 8);
        }
        return data;
    }

    private static List<float[]> TrainSteps(string name, int size, bool reuse)
    {
        var model = ModelZoo.Create(name, imageSize: size, random: new RandomSource(4));
        model.SetReuseBuffers(reuse);
        RandomSource.Global.SetState(new RandomSource(9).GetState()); // vgg-small's dropout draws from it
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), 0.05, momentum: 0.9);
        var loss = new CrossEntropyLoss();
        var snapshots = new List<float[]>();
        // Batch sizes switch as at the end of an epoch (a shorter last batch) and back.
        int[] batchSizes = [4, 2, 4, 3, 2, 4];
        for (int step = 0; step < batchSizes.Length; step++)
        {
            int n = batchSizes[step];
            var images = Tensor.RandomNormal(new Shape(n, 1, size, size), (ulong)(10 + step));
            optimizer.ZeroGrad();
            Tensor logits = model.Forward(images);
            snapshots.Add((float[])logits.Data.Clone());
            loss.Forward(logits, [.. Enumerable.Range(0, n)]);
            model.BackwardParametersOnly(loss.Backward());
            optimizer.Step();
        }
        snapshots.Add(model.NamedParameters().SelectMany(p => p.Parameter.Value.Data).ToArray());
        return snapshots;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Training_with_reused_buffers_is_bit_identical_to_fresh_tensors(string name, int size)
    {
        List<float[]> fresh = TrainSteps(name, size, reuse: false);
        List<float[]> reused = TrainSteps(name, size, reuse: true);
        for (int i = 0; i < fresh.Count; i++)
        {
            TensorAssert.Identical(fresh[i], reused[i], $"{name} snapshot {i}");
        }
    }

    [Fact]
    public void Reuse_is_off_by_default_and_on_returns_the_same_cleared_tensor()
    {
        var conv = new Conv2d(1, 2, 3, random: new RandomSource(1));
        var input = Tensor.RandomNormal(new Shape(1, 1, 5, 5), 2);
        Assert.False(conv.ReuseBuffers);
        Assert.NotSame(conv.Forward(input), conv.Forward(input));

        conv.SetReuseBuffers(true);
        Tensor first = conv.Forward(input);
        float[] values = (float[])first.Data.Clone();
        Tensor second = conv.Forward(input);
        Assert.Same(first, second);
        Assert.Equal(values, second.Data);
        Assert.NotSame(first, conv.Forward(Tensor.RandomNormal(new Shape(2, 1, 5, 5), 3)));
    }

    [Fact]
    public void A_few_recent_shapes_keep_their_own_buffers_and_the_least_recent_is_dropped()
    {
        var relu = new ReLU();
        relu.SetReuseBuffers(true);
        Tensor Run(int n) => relu.Forward(Tensor.RandomNormal(new Shape(n, 3), (ulong)n));
        Tensor full = Run(64), last = Run(32);
        Assert.Same(full, Run(64));
        Assert.Same(last, Run(32));
        Tensor evaluationLast = Run(16);
        Assert.Same(full, Run(64));
        Assert.Same(evaluationLast, Run(16));
        Assert.Same(last, Run(32));
        // A fifth shape drops the least recently used one (64 was used before 16 and 32).
        Run(8);
        Tensor smallest = Run(4);
        Assert.NotSame(full, Run(64));
        // A kept buffer is overwritten with the new result, not mixed with the old one.
        var input = Tensor.RandomNormal(new Shape(4, 3), 99);
        Tensor again = relu.Forward(input);
        Assert.Same(smallest, again);
        Assert.Equal(input.Data.Select(x => Math.Max(x, 0f)), again.Data);
    }

    [Fact]
    public void Containers_pass_the_setting_to_every_descendant()
    {
        var inner = new ReLU();
        var model = new Sequential(new Residual(new Sequential(inner)), new Flatten());
        model.SetReuseBuffers(true);
        Assert.True(inner.ReuseBuffers);
        model.SetReuseBuffers(false);
        Assert.False(inner.ReuseBuffers);
    }
}
