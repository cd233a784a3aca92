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

/// <summary><c>convolve train</c>: train a zoo model on Fashion-MNIST, MNIST or any IDX set, with checkpoints and exact resume.</summary>
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
            return Train(context, request, null);
        }
        using var distributed = DistributedRun.Start(context, request.Distributed.TimeoutSeconds);
        return distributed.Run(() => Train(distributed.Context, request, distributed));
    }

    private static int Train(CliContext context, TrainRequest request, DistributedRun? distributed)
    {
        TrainRecipe recipe = request.Recipe;
        TrainingCheckpoint? resumed = request.ResumeFrom is null ? null : TrainingCheckpoint.Load(request.ResumeFrom);
        if (resumed is not null)
        {
            string stored = resumed.Metadata.GetValueOrDefault(TrainRecipe.MetadataKey)
                ?? throw new UserErrorException($"{request.ResumeFrom} has no training recipe; it was not written by 'convolve train'");
            TrainRecipe original = TrainRecipe.FromJson(stored, request.ResumeFrom!);
            recipe = original with { Epochs = request.Epochs ?? original.Epochs };
        }
        recipe = recipe with { Shards = ShardedTraining.ShardsOf(recipe, distributed) };
        ShardedTraining.RequireShareable(recipe.Shards!.Value, distributed);
        Parallelism.MaxThreads = request.Threads;
        DatasetFiles files = TrainingData.Locate(recipe.Data, context.Output);
        Dataset train = TrainingData.Take(files.LoadTrain(), recipe.Limit);
        Dataset test = files.LoadTest();
        var (mean, std) = resumed is null ? train.ComputeMeanStd() : TrainingData.NormalizationOf(resumed.Metadata, request.ResumeFrom!);
        train.Normalize(mean, std);
        test.Normalize(mean, std);

        RandomSource.ManualSeed(recipe.Seed);
        Layer model = resumed?.Model ?? ModelZoo.Create(recipe.Model, train.ItemShape[0], train.Classes, train.ItemShape[^1]);
        Optimizer optimizer = recipe.CreateOptimizer(model);
        var loader = new DataLoader(train, recipe.BatchSize, shuffle: true, seed: recipe.Seed, augment: recipe.Augment ? new Augmentation(2, true) : null);
        if (resumed is not null)
        {
            optimizer.LoadState(resumed.OptimizerState);
            loader.SetState(resumed.LoaderState);
            RandomSource.Global.SetState(resumed.GlobalRandomState);
        }
        var metadata = TrainingData.Describe(mean, std, TrainingData.ClassNames(files, train.Classes), train.ItemShape);
        metadata[TrainRecipe.MetadataKey] = recipe.ToJson();
        var checkpoints = new CheckpointCallback(request.Output, metadata);
        DataParallel? workers = ShardedTraining.Workers(recipe, distributed, model, optimizer, train, test, resumed);
        bool writes = distributed is null || distributed.Communicator.Rank == 0;
        if (distributed is not null)
        {
            distributed.CheckpointFolder = checkpoints.Directory;
        }
        var output = new TrainingOutput(context);
        var record = new Report.RunHistoryCallback(checkpoints.Directory, recipe.Model, resumed is null ? 0 : resumed.CompletedEpoch + 1);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss(), new TrainerOptions
        {
            Epochs = recipe.Epochs,
            Schedule = recipe.CreateSchedule(loader.BatchesPerEpoch),
            ClipGradNorm = recipe.ClipGradNorm,
            // Evaluating in batches of the training size lets every layer keep its one set of
            // reused buffers; a larger evaluation batch would allocate a second, larger set each epoch.
            EvaluationBatchSize = recipe.BatchSize,
            StartEpoch = resumed is null ? 0 : resumed.CompletedEpoch + 1,
            StartGlobalStep = resumed?.GlobalStep ?? 0,
            PreviousBestAccuracy = resumed?.BestAccuracy,
            Callbacks = writes ? [output, checkpoints, record] : [],
            Workers = workers,
        });
        context.Output.WriteLine($"model: {recipe.Model}, {model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size):N0} parameters; {train.Count:N0} training and {test.Count:N0} test images; {recipe.Optimizer} lr {recipe.LearningRate}; {Parallelism.MaxThreads} threads, SIMD {Simd.Level}");
        if (workers is not null)
        {
            context.Output.WriteLine(ShardedTraining.Announce(workers, distributed, recipe.BatchSize));
        }
        if (resumed is not null)
        {
            context.Output.WriteLine($"resuming after epoch {resumed.CompletedEpoch + 1} (step {resumed.GlobalStep}) from {request.ResumeFrom}");
        }
        TrainingHistory history = output.Run(() => trainer.Fit(loader, test, output));
        if (workers is not null)
        {
            context.Output.WriteLine(ShardedTraining.Describe(workers, recipe.BatchSize));
        }
        EpochReport? best = history.Best;
        context.Output.WriteLine(best is null
            ? $"no epoch ran (already at epoch {recipe.Epochs}); checkpoints in {checkpoints.Directory}"
            : $"best test accuracy {best.ValidationAccuracy:P2} after epoch {best.Epoch + 1}: {checkpoints.BestPath}");
        if (history.Epochs.Count > 0 && writes)
        {
            Report.TrainingReport.Build(checkpoints.Directory, null, (test, files.Description), null, context.Output).Commit(context.Output);
        }
        return CliApp.Success;
    }
}
