using System.CommandLine;
using Convolve.Models;

namespace Convolve.Cli.Commands;

/// <summary>What one `convolve train` invocation asks for.</summary>
/// <param name="Recipe">The run the options describe (for a new run).</param>
/// <param name="ResumeFrom">The last.safetensors to continue, or null.</param>
/// <param name="Output">The folder given with --output, or null.</param>
/// <param name="Overwrite">Whether --overwrite allows replacing a run already in the output folder.</param>
/// <param name="Epochs">--epochs, or null when not given.</param>
/// <param name="Data">--data, or null when not given.</param>
/// <param name="RecipeOptionsGiven">The recipe options given explicitly (a resume refuses them).</param>
/// <param name="PauseAfter">--pause-after: the epoch of the run after which this invocation stops, or null.</param>
/// <param name="Pictures">--image-size, --channels and --val-fraction, for a folder of pictures.</param>
/// <param name="Distributed">What --distributed asks for, or null for a run in this process alone.</param>
/// <param name="Profile">--profile: print each epoch's time per layer.</param>
internal sealed record TrainRequest(TrainRecipe Recipe, string? ResumeFrom, string? Output, bool Overwrite, int? Epochs, string? Data,
    IReadOnlyList<string> RecipeOptionsGiven, int? PauseAfter, PictureOptions Pictures, DistributedRequest? Distributed = null, bool Profile = false);

/// <summary>What `--distributed` asks for: how long a rank waits for the others in one exchange.</summary>
internal sealed record DistributedRequest(double TimeoutSeconds);

/// <summary>
/// The options of <c>convolve train</c>. The defaults are the recipe of the README's headline
/// result: SGD lr 0.05, momentum 0.9, batch 64, cosine schedule, seed 1.
/// </summary>
internal sealed class TrainOptions
{
    private readonly Option<string> model = new("--model", "-m") { Description = "Model from the zoo: " + string.Join(", ", ModelZoo.Names), DefaultValueFactory = _ => "fashion-cnn" };
    private readonly Option<string?> data = new("--data") { Description = "Folder with train-/t10k- IDX files, CIFAR-10 binary batches (data_batch_1.bin … test_batch.bin), or one subfolder of PNG/JPEG/BMP pictures per class (default: $CONVOLVE_DATA, then /usr/share/datasets/fashion-mnist, then the bundled sample; a resume uses the run's own data)" };
    private readonly PictureOptions.Options pictures = new();
    private readonly Option<int?> epochs = CliOptions.OptionalInteger("--epochs", "Number of epochs (default 2; with --resume, the new total)", min: 1, alias: "-e");
    private readonly Option<int> batchSize = CliOptions.Integer("--batch-size", "Images per step", 64, min: 1, alias: "-b");
    private readonly Option<string> optimizer = new("--optimizer") { Description = "sgd, adam or adamw", DefaultValueFactory = _ => "sgd" };
    private readonly Option<double?> learningRate = CliOptions.OptionalNumber("--lr", "Learning rate (default 0.05 for sgd, 0.001 for adam/adamw)", 0, minInclusive: false);
    private readonly Option<double> momentum = CliOptions.Number("--momentum", "SGD momentum", 0.9, 0, minInclusive: true, max: 1);
    private readonly Option<bool> nesterov = new("--nesterov") { Description = "Nesterov momentum (SGD)" };
    private readonly Option<double?> weightDecay = CliOptions.OptionalNumber("--weight-decay", "Weight decay (default 0; 0.01 for adamw)", 0, minInclusive: true);
    private readonly Option<string> schedule = new("--schedule") { Description = "Learning-rate schedule: none, step or cosine (over all epochs)", DefaultValueFactory = _ => "cosine" };
    private readonly Option<int> stepSize = CliOptions.Integer("--step-size", "Epochs between decays (step schedule)", 1, min: 1);
    private readonly Option<double> gamma = CliOptions.Number("--gamma", "Decay factor (step schedule)", 0.1, 0, minInclusive: false);
    private readonly Option<int> warmup = CliOptions.Integer("--warmup", "Linear warm-up steps", 0, min: 0);
    private readonly Option<double?> clip = CliOptions.OptionalNumber("--clip-grad-norm", "Clip the total gradient L2 norm to this value", 0, minInclusive: false);
    private readonly Option<bool> augment = new("--augment") { Description = "Random crop (padding 2; for pictures and CIFAR-10 an eighth of the side) and horizontal flip" };
    private readonly Option<ulong> seed = CliOptions.Seed("--seed", "Seed of initialisation, shuffling, augmentation and dropout", 1);
    private readonly Option<int?> limit = CliOptions.OptionalInteger("--limit", "Train on the first N images only", min: 1);
    private readonly Option<string?> output = new("--output", "-o") { Description = "Folder for the checkpoints, history.json and the report (default runs/MODEL; with --resume, the run's folder)" };
    private readonly Option<bool> overwrite = new("--overwrite") { Description = "Replace a run already in the output folder (otherwise refused)" };
    private readonly Option<int?> pauseAfter = CliOptions.OptionalInteger("--pause-after", "Stop once the run has completed this many epochs, resumable with --resume (the schedule still spans --epochs)", min: 1);
    private readonly Option<int?> shards = CliOptions.OptionalInteger("--shards", "Cut every batch into this many gradient shards, computed apart and added in a fixed order: the same --shards gives the same weights in one process and over any number of --distributed ranks that shares them (default: the number of ranks, 1 without --distributed; with --resume, the run's own, and another count continues the run with it)", min: 1);
    private readonly Option<bool> distributed = new("--distributed") { Description = "Train data-parallel as one rank of an MPI job: mpirun -np P convolve train --distributed … (Open MPI; --batch-size stays the global batch, rank 0 prints and writes the checkpoints)" };
    private readonly Option<double> commTimeout = CliOptions.Number("--comm-timeout", "With --distributed: seconds a rank waits for the others in one exchange before it stops the job", 120, 0, minInclusive: false);
    private readonly Option<bool> profile = new("--profile") { Description = "After each epoch, print where its training steps' time went, layer by layer: forward and backward ms per step and each layer's share (evaluation not counted)" };
    private readonly Option<string?> resume = new("--resume") { Description = "Continue the run in this folder (or this last.safetensors) exactly, on the data it recorded: only --epochs (the new total), --data, --threads, --output, --pause-after, --shards, --distributed, --comm-timeout and --profile may be given" };

    private readonly Option<string?> from = new("--from") { Description = "Fine-tune the model in this file (ONNX, e.g. a torch.onnx.export, or a Convolve checkpoint) instead of a zoo model: its classifier head (the last Linear or 1x1 convolution) is replaced for the data's classes" };
    private readonly Option<string?> freezeUntil = new("--freeze-until") { Description = "With --from: keep the parameters of every layer up to and including this one (a path as `convolve summary` shows it) as they are" };

    private Option[] RecipeOptions => [model, from, freezeUntil, batchSize, optimizer, learningRate, momentum, nesterov, weightDecay, schedule, stepSize, gamma, warmup, clip, augment, seed, limit, .. pictures.All];

    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[.. RecipeOptions, shards, data, epochs, output, overwrite, pauseAfter, distributed, commTimeout, profile, resume])
        {
            command.Options.Add(option);
        }
        CliOptions.AcceptOnly(optimizer, "sgd", "adam", "adamw");
        CliOptions.AcceptOnly(schedule, "none", "step", "cosine");
        CliOptions.AcceptOnly(model, [.. ModelZoo.Names]);
    }

    public TrainRequest Read(ParseResult parsed)
    {
        string optimizerName = parsed.GetValue(optimizer)!;
        var recipe = new TrainRecipe(
            parsed.GetValue(model)!, parsed.GetValue(data), parsed.GetValue(epochs) ?? 2, parsed.GetValue(batchSize), optimizerName,
            parsed.GetValue(learningRate) ?? (optimizerName == "sgd" ? 0.05 : 1e-3), parsed.GetValue(momentum),
            parsed.GetValue(weightDecay) ?? (optimizerName == "adamw" ? 0.01 : 0), parsed.GetValue(nesterov), parsed.GetValue(schedule)!,
            parsed.GetValue(stepSize), parsed.GetValue(gamma), parsed.GetValue(warmup), parsed.GetValue(clip),
            parsed.GetValue(augment), parsed.GetValue(seed), parsed.GetValue(limit), parsed.GetValue(shards));
        string? fromFile = parsed.GetValue(from);
        if (fromFile is not null && parsed.GetResult(model) is { Implicit: false })
        {
            throw new UserErrorException($"--model {parsed.GetValue(model)} and --from {fromFile} both name the model; give one");
        }
        if (parsed.GetValue(freezeUntil) is string frozen && fromFile is null)
        {
            throw new UserErrorException($"--freeze-until {frozen} needs --from: a zoo model starts from random weights");
        }
        if (fromFile is not null)
        {
            string path = InputFiles.RequireFile(fromFile, "--from");
            recipe = recipe with { Model = Path.GetFileNameWithoutExtension(path), From = Path.GetFullPath(path), FreezeUntil = parsed.GetValue(freezeUntil) };
        }
        var given = RecipeOptions.Where(o => parsed.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        return new TrainRequest(recipe, parsed.GetValue(resume), parsed.GetValue(output), parsed.GetValue(overwrite),
            parsed.GetValue(epochs), parsed.GetValue(data), given, parsed.GetValue(pauseAfter), pictures.Read(parsed),
            parsed.GetValue(distributed) ? new DistributedRequest(parsed.GetValue(commTimeout)) : null, parsed.GetValue(profile));
    }
}
