using System.CommandLine;
using Convolve.Models;

namespace Convolve.Cli.Commands;

/// <summary>What one `convolve train` invocation asks for.</summary>
internal sealed record TrainRequest(TrainRecipe Recipe, string? ResumeFrom, string Output, int Threads, int? Epochs, DistributedRequest? Distributed = null);

/// <summary>What `--distributed` asks for: how long a rank waits for the others in one exchange.</summary>
internal sealed record DistributedRequest(double TimeoutSeconds);

/// <summary>The options of <c>convolve train</c>, with PyTorch-like defaults (SGD lr 0.05, momentum 0.9, batch 64).</summary>
internal sealed class TrainOptions
{
    private readonly Option<string> model = new("--model", "-m") { Description = "Model from the zoo: " + string.Join(", ", ModelZoo.Names), DefaultValueFactory = _ => "fashion-cnn" };
    private readonly Option<string?> data = new("--data") { Description = "Folder with train-/t10k- IDX files (default: $CONVOLVE_DATA, then /usr/share/datasets/fashion-mnist, then the bundled sample)" };
    private readonly Option<int?> epochs = new("--epochs", "-e") { Description = "Number of epochs (default 2)" };
    private readonly Option<int> batchSize = new("--batch-size", "-b") { Description = "Images per step", DefaultValueFactory = _ => 64 };
    private readonly Option<string> optimizer = new("--optimizer") { Description = "sgd, adam or adamw", DefaultValueFactory = _ => "sgd" };
    private readonly Option<double?> learningRate = new("--lr") { Description = "Learning rate (default 0.05 for sgd, 0.001 for adam/adamw)" };
    private readonly Option<double> momentum = new("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9 };
    private readonly Option<bool> nesterov = new("--nesterov") { Description = "Nesterov momentum (SGD)" };
    private readonly Option<double?> weightDecay = new("--weight-decay") { Description = "Weight decay (default 0; 0.01 for adamw)" };
    private readonly Option<string> schedule = new("--schedule") { Description = "Learning-rate schedule: none, step or cosine", DefaultValueFactory = _ => "none" };
    private readonly Option<int> stepSize = new("--step-size") { Description = "Epochs between decays (step schedule)", DefaultValueFactory = _ => 1 };
    private readonly Option<double> gamma = new("--gamma") { Description = "Decay factor (step schedule)", DefaultValueFactory = _ => 0.1 };
    private readonly Option<int> warmup = new("--warmup") { Description = "Linear warm-up steps", DefaultValueFactory = _ => 0 };
    private readonly Option<double?> clip = new("--clip-grad-norm") { Description = "Clip the total gradient L2 norm to this value" };
    private readonly Option<bool> augment = new("--augment") { Description = "Random crop (padding 2) and horizontal flip" };
    private readonly Option<ulong> seed = new("--seed") { Description = "Seed of initialisation, shuffling, augmentation and dropout", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> limit = new("--limit") { Description = "Train on the first N images only" };
    private readonly Option<int> threads = new("--threads", "-j") { Description = "Threads (results are reproducible for a seed and thread count); with --distributed, per rank, by default the cores divided by the ranks on this machine", DefaultValueFactory = _ => Environment.ProcessorCount };
    private readonly Option<string?> output = new("--output", "-o") { Description = "Folder for the checkpoints, history.json and the report (default runs/MODEL)" };
    private readonly Option<int?> shards = new("--shards") { Description = "Cut every batch into this many gradient shards, computed apart and added in a fixed order: the same --shards gives the same weights in one process and over any number of --distributed ranks that shares them (default: the number of ranks, 1 without --distributed)" };
    private readonly Option<bool> distributed = new("--distributed") { Description = "Train data-parallel as one rank of an MPI job: mpirun -np P convolve train --distributed … (Open MPI; --batch-size stays the global batch, rank 0 prints and writes the checkpoints)" };
    private readonly Option<double> commTimeout = new("--comm-timeout") { Description = "With --distributed: seconds a rank waits for the others in one exchange before it stops the job", DefaultValueFactory = _ => 120 };
    private readonly Option<string?> resume = new("--resume") { Description = "Continue the run whose checkpoints are in this folder (or this last.safetensors) exactly: every training option comes from the checkpoint, only --epochs (to extend it), --threads, --output, --distributed and --comm-timeout apply" };

    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[model, data, epochs, batchSize, optimizer, learningRate, momentum, nesterov, weightDecay, schedule,
                     stepSize, gamma, warmup, clip, augment, seed, limit, threads, output, shards, distributed, commTimeout, resume])
        {
            command.Options.Add(option);
        }
        optimizer.AcceptOnlyFromAmong("sgd", "adam", "adamw");
        schedule.AcceptOnlyFromAmong("none", "step", "cosine");
        model.AcceptOnlyFromAmong([.. ModelZoo.Names]);
    }

    public TrainRequest Read(ParseResult parsed)
    {
        string optimizerName = parsed.GetValue(optimizer)!;
        string modelName = parsed.GetValue(model)!;
        var recipe = new TrainRecipe(
            modelName, parsed.GetValue(data), parsed.GetValue(epochs) ?? 2, Positive(parsed.GetValue(batchSize), "--batch-size"), optimizerName,
            parsed.GetValue(learningRate) ?? (optimizerName == "sgd" ? 0.05 : 1e-3), parsed.GetValue(momentum),
            parsed.GetValue(weightDecay) ?? (optimizerName == "adamw" ? 0.01 : 0), parsed.GetValue(nesterov), parsed.GetValue(schedule)!,
            Positive(parsed.GetValue(stepSize), "--step-size"), parsed.GetValue(gamma), parsed.GetValue(warmup), parsed.GetValue(clip),
            parsed.GetValue(augment), parsed.GetValue(seed), parsed.GetValue(limit), PositiveOrNull(parsed.GetValue(shards), "--shards"));
        string? resumeFrom = parsed.GetValue(resume);
        if (resumeFrom is not null && Directory.Exists(resumeFrom))
        {
            resumeFrom = Path.Combine(resumeFrom, "last.safetensors");
        }
        string folder = parsed.GetValue(output) ?? (resumeFrom is null ? Path.Combine("runs", modelName) : Path.GetDirectoryName(Path.GetFullPath(resumeFrom))!);
        bool isDistributed = parsed.GetValue(distributed);
        double timeout = parsed.GetValue(commTimeout);
        if (!(timeout > 0) || !double.IsFinite(timeout))
        {
            throw new UserErrorException($"--comm-timeout must be a positive number of seconds but got {timeout}");
        }
        int threadCount = isDistributed && parsed.GetResult(threads) is null ? DistributedRun.DefaultThreads() : Positive(parsed.GetValue(threads), "--threads");
        return new TrainRequest(recipe, resumeFrom, folder, threadCount, parsed.GetValue(epochs), isDistributed ? new DistributedRequest(timeout) : null);
    }

    private static int? PositiveOrNull(int? value, string name) => value is null ? null : Positive(value.Value, name);

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new UserErrorException($"{name} must be positive but got {value}");
}
