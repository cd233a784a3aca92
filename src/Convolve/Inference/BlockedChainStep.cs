using System.Collections.Concurrent;
using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A run of convolutions (direct or Winograd, with their folded bias and ReLU) and max poolings computed one
/// image at a time in the channel-blocked layout: the image is packed once into the first convolution's
/// frame, each convolution's output is moved straight into the next one's padded input frame with its bias,
/// ReLU and pooling (<see cref="FrameTransfer"/>), and only the last output is unpacked to NCHW. An image's
/// activations stay in the core's cache from the first layer to the last, and the NCHW ↔ blocked transposes
/// and the NCHW pooling passes between the layers are gone. The floats are the same as the steps it replaces:
/// the same microkernel calls, the bias added and the ReLU taken on the same sums.
/// Images run in parallel; when there are fewer images than threads, the threads share each image: helpers queued
/// once per image, then rows, channel blocks and ξ claimed from shared counters task by task (<see cref="ImageJob"/>),
/// not one hand-off per layer and phase, and never a wait for a helper to start.
/// </summary>
internal sealed unsafe class BlockedChainStep : PlanStep, IShortcutTarget
{
    private readonly BlockedStage[] stages;
    private readonly FrameTransfer[] transfers;
    private readonly bool[] relus;
    private readonly BlockedFrame last;
    private readonly int batch, inputImage, outputImage;
    private readonly long imageWork;
    private readonly ConcurrentBag<Workspace> workspaces = [];
    private readonly (TaskKind Kind, int Stage, int Phase, int Items)[] schedule;
    private Tensor? output;

    /// <param name="inputShape">The batch the first convolution reads.</param>
    /// <param name="outputShape">The batch the last layer taken in writes.</param>
    /// <param name="stages">The convolutions in order, each reading the shape the one before it (pooled) writes.</param>
    /// <param name="biases">Each convolution's bias (null for none).</param>
    /// <param name="relus">Whether each convolution's output is rectified (the last one's is <see cref="Relu"/>, which a residual block may change).</param>
    /// <param name="pools">The max pooling after each convolution, or null.</param>
    /// <param name="members">The description of every layer taken in, in order.</param>
    public BlockedChainStep(Shape inputShape, Shape outputShape, BlockedStage[] stages, float[]?[] biases, bool[] relus, Window3?[] pools, string[] members)
        : base(string.Join(" → ", members), outputShape)
    {
        this.stages = stages;
        this.relus = relus;
        Members = members;
        Relu = relus[^1];
        AcceptsShortcut = pools[^1] is null;
        BlockedFrame final = stages[^1].OutputFrame;
        int height = pools[^1]?.OutH ?? final.H.Size, width = pools[^1]?.OutW ?? final.W.Size;
        last = new BlockedFrame(final.Lanes, final.Channels, FrameAxis.Plain(1), FrameAxis.Plain(height), FrameAxis.Plain(width));
        transfers = [.. stages.Select((stage, i) => new FrameTransfer(stage.OutputFrame, i + 1 < stages.Length ? stages[i + 1].InputFrame : last, biases[i], pools[i]))];
        batch = inputShape[0];
        inputImage = inputShape.Size / batch;
        outputImage = outputShape.Size / batch;
        imageWork = stages.Sum(stage => stage.ImageWork);
        schedule = Schedule();
    }

    /// <summary>
    /// The least multiply-adds of one image's chain for the threads to share it when there are fewer images than
    /// threads. Measured on the 2-vCPU development VM (`bench infer --batch 1`, shared against not shared, two threads):
    /// fashion-cnn's 10 million per image 0.98–1.00×, vgg-small's 28×28 and 32×32 0.66× and 0.90×, resnet-small's
    /// residual bodies 0.74–0.88×: every wait for the other thread's items cost more than its help. Below this, an image
    /// stays on one thread and a second thread is left idle rather than slowing the forward down. resnet18's 3×224×224
    /// residual bodies (0.2–0.5 billion) gain: batch 1 on two threads 1.43× one thread. Settable for the tests.
    /// </summary>
    internal static long MinSharedImageWork { get; set; } = 1L << 27;

    /// <summary>What each layer taken in computes, for the plan's step list.</summary>
    public IReadOnlyList<string> Members { get; }

    /// <summary>Whether the last convolution's output is rectified (after <see cref="Addend"/>, when one is set).</summary>
    public bool Relu { get; set; }

    /// <summary>A batch of the output's shape added to each image after the last bias and before the ReLU (a residual shortcut); null for none.</summary>
    public Tensor? Addend { get; set; }

    /// <summary>Whether the chain ends in a convolution, not a pooling, so a shortcut can be added to its output.</summary>
    public bool AcceptsShortcut { get; }

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        output ??= new Tensor(OutputShape);
        float[] source = input.Data, target = output.Data;
        int parts = batch < Parallelism.MaxThreads && !Parallelism.IsInsidePart && imageWork >= MinSharedImageWork
            ? Parallelism.PartsFor(imageWork / DirectConvolution.ImageSplitFactor, Parallelism.MaxThreads) : 1;
        if (parts > 1)
        {
            Workspace workspace = Rent();
            for (int n = 0; n < batch; n++)
            {
                var job = new ImageJob(this, source, target, n, workspace, parts);
                for (int helper = 1; helper < parts; helper++)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
                }
                job.Execute();
            }
            workspaces.Add(workspace);
            return output;
        }
        Parallelism.For(batch, imageWork, (start, end) =>
        {
            Workspace workspace = Rent();
            for (int n = start; n < end; n++)
            {
                for (int task = 0; task < schedule.Length; task++)
                {
                    Do(task, 0, schedule[task].Items, source, target, n, workspace);
                }
            }
            workspaces.Add(workspace);
        });
        return output;
    }

    /// <summary>
    /// One image shared by the threads: every task of the schedule in order, its items claimed a chunk at a time from a
    /// counter of the job's, then a wait until every item of the task is done. The calling thread runs it and returns
    /// when the image is done; helpers queued to the thread pool join when they start. One that starts late finds the
    /// items taken and leaves at once (it never touches the workspace then), so the image never waits for a thread to
    /// wake up: a second thread can only help. Each image has its own counters, so a helper of an earlier image cannot
    /// claim a later one's items.
    /// </summary>
    private sealed class ImageJob(BlockedChainStep chain, float[] input, float[] output, int n, Workspace workspace, int parts) : IThreadPoolWorkItem
    {
        private readonly int[] claimed = new int[chain.schedule.Length], done = new int[chain.schedule.Length];

        public void Execute() => Parallelism.RunAsPart(Share);

        private void Share()
        {
            var schedule = chain.schedule;
            for (int task = 0; task < schedule.Length; task++)
            {
                int items = schedule[task].Items, chunk = Math.Max(1, items / (2 * parts));
                while (true)
                {
                    int start = Interlocked.Add(ref claimed[task], chunk) - chunk;
                    if (start >= items)
                    {
                        break;
                    }
                    int end = Math.Min(start + chunk, items);
                    chain.Do(task, start, end, input, output, n, workspace);
                    Interlocked.Add(ref done[task], end - start);
                }
                var spin = default(SpinWait);
                while (Volatile.Read(ref done[task]) < items)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
        }
    }

    /// <summary>Items [start, end) of one task of the schedule for image n.</summary>
    private void Do(int task, int start, int end, float[] input, float[] output, int n, Workspace workspace)
    {
        var (kind, i, phase, _) = schedule[task];
        switch (kind)
        {
            case TaskKind.Pack:
                stages[0].InputFrame.Pack(input.AsSpan(n * inputImage, inputImage), workspace.Frames[0].Span);
                break;
            case TaskKind.Stage:
                stages[i].RunPart(phase, start, end, workspace.Frames[i].Pointer, workspace.Results[i].Pointer, workspace.Scratch.Pointer);
                break;
            case TaskKind.Transfer:
                bool lastStage = i == stages.Length - 1;
                Frame next = lastStage ? workspace.Last : workspace.Frames[i + 1];
                transfers[i].Run(workspace.Results[i].Pointer, next.Pointer, lastStage ? Relu && Addend is null : relus[i], start, end);
                break;
            default:
                Finish(output, n, workspace);
                break;
        }
    }

    /// <summary>Unpacks image n's last frame to NCHW, then adds the shortcut and rectifies when one is set.</summary>
    private void Finish(float[] output, int n, Workspace workspace)
    {
        Span<float> image = output.AsSpan(n * outputImage, outputImage);
        last.Unpack(workspace.Last.Span, image, default);
        if (Addend is Tensor addend)
        {
            ConvolutionStep.AddInto(image, addend.Data.AsSpan(n * outputImage, outputImage), Relu);
        }
    }

    /// <summary>The tasks of one image, in the order they must run: pack, each stage's phases and transfer, unpack.</summary>
    private (TaskKind Kind, int Stage, int Phase, int Items)[] Schedule()
    {
        var tasks = new List<(TaskKind, int, int, int)> { (TaskKind.Pack, 0, 0, 1) };
        for (int i = 0; i < stages.Length; i++)
        {
            for (int phase = 0; phase < stages[i].Phases; phase++)
            {
                tasks.Add((TaskKind.Stage, i, phase, stages[i].Items(phase)));
            }
            tasks.Add((TaskKind.Transfer, i, 0, transfers[i].Blocks));
        }
        tasks.Add((TaskKind.Finish, 0, 0, 1));
        return [.. tasks];
    }

    private enum TaskKind
    {
        Pack,
        Stage,
        Transfer,
        Finish,
    }

    private Workspace Rent() => workspaces.TryTake(out Workspace? kept) ? kept : new Workspace(stages, last);

    /// <summary>
    /// One thread's frames: every stage's input and output frame (the padding of the inputs zeroed once and never
    /// written), scratch and the last frame, each pinned and starting on a 64-byte boundary (as the direct algorithm's).
    /// </summary>
    private sealed class Workspace(BlockedStage[] stages, BlockedFrame last)
    {
        public Frame[] Frames { get; } = [.. stages.Select(stage => new Frame(stage.InputFrame.ImageSize))];

        public Frame[] Results { get; } = [.. stages.Select(stage => new Frame(stage.OutputFrame.ImageSize))];

        public Frame Scratch { get; } = new(Math.Max(1, stages.Max(stage => stage.ScratchFloats)));

        public Frame Last { get; } = new(last.ImageSize);
    }

    /// <summary>A pinned buffer of <c>size</c> floats starting on a 64-byte boundary.</summary>
    private sealed class Frame
    {
        private readonly float[] buffer = [];
        private readonly int shift, size;

        public Frame(int size)
        {
            DirectConvolution.GrowAligned(ref buffer, size);
            shift = DirectConvolution.Shift(buffer);
            this.size = size;
        }

        public Span<float> Span => buffer.AsSpan(shift, size);

        /// <summary>The first float (the buffer is pinned).</summary>
        public float* Pointer => (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer[shift]);
    }
}
