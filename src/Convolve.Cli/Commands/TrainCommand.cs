using System.CommandLine;
using Convolve.Data;
using Convolve.Distributed;
using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve train</c>: train a zoo model on Fashion-MNIST, MNIST or any IDX set, CIFAR-10 or a folder of pictures, with checkpoints and exact resume.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var o = new TrainOptions();
        var command = new Command("train", "Train a model: live progress, evaluation after each epoch, last.safetensors (resumable), best.safetensors, history.json, report.html and curves.png in the output folder.");
        o.AddTo(command);
        command.SetAction(parsed => Run(context, o.Read(parsed)));
        return command;
    }

    private static int Run(CliContext context, TrainRequest request)
    {
        if (request.Distributed is null)
        {
            return RunRank(context, request, null);
        }
        using var distributed = DistributedRun.Start(context, request.Distributed.TimeoutSeconds);
        return distributed.Run(() => RunRank(distributed.Context, request, distributed));
    }

    /// <summary>The run of this process: alone, or as one rank of a distributed run (<paramref name="distributed"/>), where only rank 0 writes.</summary>
    private static int RunRank(CliContext context, TrainRequest request, DistributedRun? distributed)
    {
        bool writes = distributed is null || distributed.Communicator.Rank == 0;
        TrainPlan plan = TrainPlan.Prepare(request, writes);
        TrainRecipe recipe = ShardedTraining.Resolve(plan.Recipe, plan.Resumed is not null, request.Recipe.Shards, distributed, plan.Notes);
        plan.Notes.ForEach(context.Output.WriteLine);
        var (test, folder) = Train(context, plan, recipe, request, distributed);
        if (folder is not null && writes)
        {
            // The training set, the model and its workspaces are garbage once Train returns; collect
            // them before the report loads the best model, so the report does not raise the run's peak memory.
            GC.Collect();
            Report.TrainingReport.Build(folder, null, (test, plan.Data.Description), null, context.Output).Commit(context.Output);
        }
        return CliApp.Success;
    }

    /// <summary>Trains as planned; returns the test set and, when an epoch ran and the run was not paused, the run folder to report on.</summary>
    private static (Dataset Test, string? Folder) Train(CliContext context, TrainPlan plan, TrainRecipe recipe, TrainRequest request, DistributedRun? distributed)
    {
        bool writes = distributed is null || distributed.Communicator.Rank == 0;
        var (train, test, normalization) = LoadData(plan);
        RandomSource.ManualSeed(recipe.Seed);
        Layer model = plan.Resumed?.Model ?? recipe.CreateModel(train.ItemShape, train.Classes);
        Optimizer optimizer = recipe.CreateOptimizer(model);
        var loader = new DataLoader(train, recipe.BatchSize, shuffle: true, seed: recipe.Seed, augment: recipe.Augment ? new Augmentation(plan.Data.CropPadding, true) : null);
        var checkpoints = new CheckpointCallback(plan.Folder.FullPath, Metadata(plan, recipe, train, normalization));
        var output = new TrainingOutput(context);
        var record = new Report.RunHistoryCallback(checkpoints.Directory, recipe.Model, plan.Resumed is null ? 0 : plan.Resumed.CompletedEpoch + 1);
        using LayerProfileOutput? profile = request.Profile && writes ? new LayerProfileOutput(context, model) : null;
        ITrainingCallback[] callbacks = [.. writes ? [output, checkpoints, record] : Array.Empty<ITrainingCallback>(), .. profile is null ? Array.Empty<ITrainingCallback>() : [profile],
            new EpochCollection(), .. request.PauseAfter is int pause ? [new TrainingPause(pause)] : Array.Empty<ITrainingCallback>()];
        var options = Options(recipe, loader, callbacks);
        options = plan.Resumed?.Resume(optimizer, loader, options) ?? options;
        DataParallel? workers = ShardedTraining.Workers(recipe, distributed, model, optimizer, train, test, plan.Resumed);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), options with { Workers = workers });
        context.Output.WriteLine($"model: {recipe.Model}, {model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size):N0} parameters; {train.Count:N0} training and {test.Count:N0} test images; {recipe.Optimizer} lr {recipe.LearningRate}, {recipe.Schedule} schedule; {Parallelism.MaxThreads} thread{(Parallelism.MaxThreads == 1 ? "" : "s")}, SIMD {Simd.Level}");
        ShardedTraining.Announce(context.Output, workers, distributed, recipe.BatchSize);
        using var interruption = TrainingInterruption.Listen(distributed is null);
        PrepareFolder(context, plan, checkpoints, distributed);
        try
        {
            TrainingHistory history = output.Run(() => trainer.Fit(loader, test, output, interruption.Token));
            ShardedTraining.Describe(context.Output, workers, recipe.BatchSize);
            context.Output.WriteLine(Summary(history, plan.Resumed, checkpoints));
            return (test, history.Epochs.Count > 0 ? checkpoints.Directory : null);
        }
        catch (TrainingPause.PausedException paused)
        {
            context.Output.WriteLine($"paused after epoch {paused.Epochs} of {recipe.Epochs}; continue with: convolve train --resume {CliPaths.Shown(checkpoints.Directory)}");
            return (test, null);
        }
        catch (OperationCanceledException) when (interruption.Requested)
        {
            plan.Folder.RemoveCreated();
            throw new RunInterruptedException(Interrupted(plan.Folder));
        }
        catch when (writes)
        {
            plan.Folder.RemoveCreated();
            throw;
        }
    }

    /// <summary>What a Ctrl-C left: the run's checkpoints of its last completed epoch, or nothing (the folder it made removed).</summary>
    private static string Interrupted(RunFolder folder)
    {
        string shown = CliPaths.Shown(folder.FullPath);
        if (folder.HoldsRun)
        {
            return $"interrupted; {shown} holds the run as of its last completed epoch: continue it with convolve train --resume {shown}";
        }
        return Directory.Exists(folder.FullPath)
            ? $"interrupted before the first epoch ended: nothing was saved in {shown}"
            : $"interrupted before the first epoch ended: nothing was saved, and {shown} was removed";
    }

    private static TrainerOptions Options(TrainRecipe recipe, DataLoader loader, ITrainingCallback[] callbacks) => new()
    {
        Epochs = recipe.Epochs,
        Schedule = recipe.CreateSchedule(loader.BatchesPerEpoch),
        ClipGradNorm = recipe.ClipGradNorm,
        // Evaluating in batches of the training size lets every layer keep its one set of
        // reused buffers; a larger evaluation batch would allocate a second, larger set each epoch.
        EvaluationBatchSize = recipe.BatchSize,
        Callbacks = callbacks,
    };

    private static (Dataset Train, Dataset Test, InputNormalization Normalization) LoadData(TrainPlan plan)
    {
        Dataset train = TrainingData.Take(plan.Data.LoadTrain(), plan.Recipe.Limit);
        Dataset test = plan.Data.LoadTest();
        InputNormalization normalization = plan.Resumed is null
            ? TrainingData.NormalizationOf(train, plan.Train.Images)
            : plan.Resumed.Normalization ?? throw new UserErrorException($"--resume: {plan.Resumed.Source} does not record its input normalisation; start a new run");
        train.Normalize(normalization);
        test.Normalize(normalization);
        return (train, test, normalization);
    }

    private static Dictionary<string, string> Metadata(TrainPlan plan, TrainRecipe recipe, Dataset train, InputNormalization normalization)
    {
        var metadata = ModelMetadata.Describe(normalization, plan.Data.ClassNames(train.Classes));
        metadata[TrainingData.InputShapeKey] = System.Text.Json.JsonSerializer.Serialize(train.ItemShape.ToArray());
        plan.Data.Pictures?.Describe(metadata, plan.Data.HeldOut);
        metadata[TrainRecipe.MetadataKey] = recipe.ToJson();
        if (plan.Resumed?.Metadata.GetValueOrDefault(CheckpointCallback.RunIdKey) is { } runId)
        {
            metadata[CheckpointCallback.RunIdKey] = runId;
        }
        return metadata;
    }

    /// <summary>
    /// Creates the output folder; on resume, brings best.safetensors along or repairs it after a crash.
    /// Of a distributed run's ranks only rank 0 writes, and every rank learns where the checkpoints go.
    /// </summary>
    private static void PrepareFolder(CliContext context, TrainPlan plan, CheckpointCallback checkpoints, DistributedRun? distributed)
    {
        distributed?.CheckpointFolder = checkpoints.Directory;
        if (distributed is not null && distributed.Communicator.Rank != 0)
        {
            return;
        }
        plan.Folder.Create();
        if (plan.Resumed is null)
        {
            return;
        }
        // Recovering best.safetensors loads last.safetensors, whose layers draw their initial values
        // from the global generator that the resume has just set: it must not move it.
        ulong[] generator = RandomSource.Global.GetState();
        context.Output.WriteLine($"resuming after epoch {plan.Resumed.CompletedEpoch + 1} (step {plan.Resumed.GlobalStep}) from {CliPaths.Shown(plan.Resumed.Source)}");
        string best = Path.Combine(plan.ResumeFolder!, "best.safetensors");
        if (!InputFiles.SameFile(plan.ResumeFolder!, plan.Folder.FullPath) && File.Exists(best))
        {
            File.Copy(best, checkpoints.BestPath, overwrite: true);
        }
        if (checkpoints.Recover() is { } repaired)
        {
            context.Output.WriteLine(repaired);
        }
        RandomSource.Global.SetState(generator);
    }

    private static string Summary(TrainingHistory history, TrainingCheckpoint? resumed, CheckpointCallback checkpoints)
    {
        if (history.Best is { } best)
        {
            return $"best test accuracy {best.ValidationAccuracy:P2} after epoch {best.Epoch + 1}: {CliPaths.Shown(checkpoints.BestPath)}";
        }
        string when = resumed?.BestEpoch is int epoch ? $"after epoch {epoch + 1}, before this resume" : "in an earlier part of the run";
        return $"best test accuracy {resumed?.BestAccuracy:P2} {when}: {CliPaths.Shown(checkpoints.BestPath)}";
    }
}
