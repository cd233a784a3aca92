using Convolve.Distributed;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Tensors;
using Convolve.Tests.Training;
using Xunit;

namespace Convolve.Tests.Distributed;

/// <summary>The sharded gradient of <see cref="DataParallel"/> against the whole-batch gradient, in one process.</summary>
public class ShardedGradientTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ShardedGradientEqualsTheWholeBatchGradientToRounding(int shards)
    {
        var data = TrainingSetup.Blobs(24, 5);
        var whole = TrainingSetup.TinyCnn(11);
        var sharded = TrainingSetup.TinyCnn(11);
        var loss = new CrossEntropyLoss();
        whole.ZeroGrad();
        loss.Forward(whole.Forward(data.Images), data.Labels);
        whole.Backward(loss.Backward());
        sharded.ZeroGrad();
        var workers = new DataParallel(new LocalCommunicator(), sharded, shards);
        workers.ComputeGradient(sharded, loss, data.Images, data.Labels);
        foreach (var ((name, expected), (_, actual)) in whole.NamedParameters().Zip(sharded.NamedParameters()))
        {
            for (int i = 0; i < expected.Grad.Size; i++)
            {
                Assert.True(Math.Abs(expected.Grad.Data[i] - actual.Grad.Data[i]) <= 1e-5 + 1e-4 * Math.Abs(expected.Grad.Data[i]),
                    $"{name}[{i}]: whole batch {expected.Grad.Data[i]}, {shards} shards {actual.Grad.Data[i]}");
            }
        }
    }
}
