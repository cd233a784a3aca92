using System.Diagnostics;
using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Distributed;

/// <summary>
/// Data-parallel training whose result does not depend on the number of ranks. Every rank holds
/// the whole global batch (the same seeded loader on every rank); the batch is cut into the
/// <see cref="ShardPlan.Shards"/> shards of its <see cref="ShardPlan"/>, and each rank computes
/// the gradient of its own shards, one forward and backward pass per shard, weighted by the shard's
/// share of the batch. A rank adds its shards along the fixed <see cref="ShardTree"/>, the ranks
/// gather their subtree sums (<see cref="ICommunicator.Allgather(ReadOnlySpan{float}, Span{float})"/>)
/// and every rank adds the upper levels itself: the gradient, and so every optimizer step, is
/// bit-identical on all ranks and for every rank count the plan allows. BatchNorm normalises each
/// shard with the shard's own statistics (as PyTorch's DistributedDataParallel does); every
/// shard's forward pass starts from the same running statistics and the step ends with the mean
/// of the shards' updated values, so running statistics are the same on every rank too. Dropout
/// masks drawn from <see cref="RandomSource.Global"/> follow the shard, not the rank
/// (<see cref="ShardRandomness"/>); a layer with a generator of its own draws per rank.
/// Set it as <see cref="TrainerOptions.Workers"/>; with a <see cref="LocalCommunicator"/> one
/// process computes the same shards the same way.
/// </summary>
public sealed class DataParallel : ITrainingWorkers
{
    private readonly ICommunicator communicator;
    private readonly GradientLayout layout;
    private readonly ShardTree tree;
    private readonly int blockSlots;
    private readonly float[] shardValues, node, gathered, total;
    private readonly double[] shardStats, gatheredStats;
    private readonly ShardSlicer slicer = new();
    private readonly ShardRandomness randomness;
    private readonly Stopwatch communication = new(), gradient = new();

    /// <summary>Plans <paramref name="shards"/> shards over the communicator's ranks for <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The ranks cannot share the shards (see <see cref="ShardPlan"/>).</exception>
    public DataParallel(ICommunicator communicator, Layer model, int shards)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(model);
        (this.communicator, Plan) = (communicator, new ShardPlan(shards, communicator.Size));
        layout = new GradientLayout(model);
        tree = new ShardTree(shards, layout.Length);
        randomness = new ShardRandomness(shards);
        blockSlots = Enumerable.Range(0, communicator.Size).Max(r => Plan.EndShard(r) - Plan.FirstShard(r));
        shardValues = new float[(long)blockSlots * layout.Length <= Array.MaxLength ? blockSlots * layout.Length : throw new ArgumentException($"{blockSlots} shards of {layout.Length:N0} values do not fit one array; use more ranks or fewer shards", nameof(shards))];
        (node, total, gathered) = (new float[layout.Length], new float[layout.Length], new float[(long)layout.Length * communicator.Size]);
        (shardStats, gatheredStats) = (new double[2 * blockSlots], new double[2 * blockSlots * communicator.Size]);
    }

    /// <summary>The shards and who computes them.</summary>
    public ShardPlan Plan { get; }

    /// <summary>Floats each rank sends per step: its subtree's gradients and buffers.</summary>
    public int ValuesPerStep => layout.Length;

    /// <summary>Steps computed so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Time spent in <see cref="ComputeGradient"/> so far: the shards' passes and the exchanges.</summary>
    public TimeSpan GradientTime => gradient.Elapsed;

    /// <summary>Time spent in the collectives of the steps so far (waiting for slower ranks included).</summary>
    public TimeSpan CommunicationTime => communication.Elapsed;

    /// <inheritdoc/>
    public (double Loss, int Correct) ComputeGradient(Layer model, CrossEntropyLoss loss, Tensor images, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        gradient.Start();
        int first = Plan.FirstShard(communicator.Rank), end = Plan.EndShard(communicator.Rank);
        layout.SaveBuffers();
        randomness.BeginStep();
        for (int shard = first; shard < end; shard++)
        {
            randomness.BeginShard(shard);
            ComputeShard(model, loss, images, labels, shard, shard - first);
        }
        randomness.EndStep();
        layout.RestoreBuffers();
        tree.Sum(first, end, OwnShard, node);
        communication.Start();
        communicator.Allgather(node, gathered);
        communicator.Allgather(shardStats, gatheredStats);
        communication.Stop();
        tree.Sum(0, Plan.Shards, RankSubtree, total);
        layout.Scatter(total, NonEmptyShards(labels.Length));
        Steps++;
        gradient.Stop();
        return Totals(loss, labels.Length);
    }

    /// <inheritdoc/>
    public EvaluationResult Evaluate(Layer model, Dataset data, int batchSize)
    {
        Evaluator.Validate(model, data, batchSize);
        int chunks = Evaluator.ChunkCount(data, batchSize), classes = data.Classes;
        var values = new double[chunks + classes * classes];
        var confusion = new long[classes, classes];
        int rank = communicator.Rank, ranks = communicator.Size;
        Evaluator.EvaluateChunks(model, data, batchSize, (int)((long)chunks * rank / ranks), (int)((long)chunks * (rank + 1) / ranks), values.AsSpan(0, chunks), confusion);
        for (int i = 0; i < confusion.Length; i++)
        {
            values[chunks + i] = confusion[i / classes, i % classes];
        }
        // Each batch's loss and every count comes from one rank and zeros from the others, so the
        // sum is exact whatever order MPI adds in, and the losses are then added in batch order.
        communicator.AllreduceSum(values);
        for (int i = 0; i < confusion.Length; i++)
        {
            confusion[i / classes, i % classes] = (long)values[chunks + i];
        }
        return Evaluator.Result(values.AsSpan(0, chunks), data.Count, confusion);
    }

    /// <summary>Forward, loss and backward on one shard; its weighted gradient and updated buffers go to slot <paramref name="slot"/>.</summary>
    private void ComputeShard(Layer model, CrossEntropyLoss loss, Tensor images, int[] labels, int shard, int slot)
    {
        int batch = labels.Length, start = Plan.ShardStart(shard, batch), count = Plan.ShardStart(shard + 1, batch) - start;
        Span<float> values = shardValues.AsSpan(slot * layout.Length, layout.Length);
        (shardStats[2 * slot], shardStats[2 * slot + 1]) = (0, 0);
        if (count == 0)
        {
            values.Clear();
            return;
        }
        layout.RestoreBuffers();
        model.ZeroGrad();
        Tensor logits = model.Forward(slicer.Slice(images, start, count));
        ReadOnlySpan<int> shardLabels = labels.AsSpan(start, count);
        double shardLoss = loss.Forward(logits, shardLabels);
        bool mean = loss.Reduction == Reduction.Mean;
        shardStats[2 * slot] = mean ? shardLoss * count : shardLoss;
        if (double.IsFinite(shardLoss))
        {
            shardStats[2 * slot + 1] = Scores.CountCorrect(logits, shardLabels);
            model.BackwardParametersOnly(loss.Backward());
        }
        layout.Gather(values, mean ? (float)((double)count / batch) : 1f);
    }

    /// <summary>The weighted gradient and buffers of shard <c>lo</c>, one of this rank's, when <c>[lo, hi)</c> is that one shard.</summary>
    private bool OwnShard(int lo, int hi, out ReadOnlyMemory<float> value)
    {
        int slot = lo - Plan.FirstShard(communicator.Rank);
        value = hi - lo == 1 ? shardValues.AsMemory(slot * layout.Length, layout.Length) : default;
        return hi - lo == 1;
    }

    /// <summary>The subtree sum rank r sent, when <c>[lo, hi)</c> is rank r's block of shards.</summary>
    private bool RankSubtree(int lo, int hi, out ReadOnlyMemory<float> value)
    {
        for (int r = 0; r < communicator.Size; r++)
        {
            if (Plan.FirstShard(r) == lo && Plan.EndShard(r) == hi)
            {
                value = gathered.AsMemory(r * layout.Length, layout.Length);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The batch's loss (mean or sum, as the loss reports it) and correct count, added in shard order.</summary>
    private (double Loss, int Correct) Totals(CrossEntropyLoss loss, int batch)
    {
        double lossSum = 0, correct = 0;
        for (int shard = 0; shard < Plan.Shards; shard++)
        {
            int rank = Enumerable.Range(0, communicator.Size).First(r => shard < Plan.EndShard(r));
            int at = 2 * (rank * blockSlots + shard - Plan.FirstShard(rank));
            lossSum += gatheredStats[at];
            correct += gatheredStats[at + 1];
        }
        return (loss.Reduction == Reduction.Mean ? lossSum / batch : lossSum, (int)correct);
    }

    private int NonEmptyShards(int batch) => Enumerable.Range(0, Plan.Shards).Count(s => Plan.ShardStart(s + 1, batch) > Plan.ShardStart(s, batch));
}
