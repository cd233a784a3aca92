using System.CommandLine;
using Convolve.Data;
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
        TrainRecipe recipe = request.Recipe;
        TrainingCheckpoint? resumed = request.ResumeFrom is null ? null : TrainingCheckpoint.Load(request.ResumeFrom);
        if (resumed is not null)
        {
            string stored = resumed.Metadata.GetValueOrDefault(TrainRecipe.MetadataKey)
                ?? throw new UserErrorException($"{request.ResumeFrom} has no training recipe; it was not written by 'convolve train'");
            TrainRecipe original = TrainRecipe.FromJson(stored, request.ResumeFrom!);
            recipe = original with { Epochs = request.Epochs ?? original.Epochs };
        }
        Parallelism.MaxThreads = request.Threads;
        LoadedData data = resumed is null
            ? DataSources.Load(recipe.Data, request.Pictures, context.Output)
            : DataSources.LoadFor(recipe.Data, RecordedPictures(resumed), train: true, context.Output);
        Dataset train = TrainingData.Take(data.Train!, recipe.Limit);
        Dataset test = data.Test;
        ChannelStats normalization = resumed is null ? ChannelStats.Of(train, data.Description) : ChannelStats.Read(resumed.Metadata, request.ResumeFrom!);
        normalization.Apply(train);
        normalization.Apply(test);

        RandomSource.ManualSeed(recipe.Seed);
        Layer model = resumed?.Model ?? ModelZoo.Create(recipe.Model, train.ItemShape[0], train.Classes, train.ItemShape[^1]);
        Optimizer optimizer = recipe.CreateOptimizer(model);
        var loader = new DataLoader(train, recipe.BatchSize, shuffle: true, seed: recipe.Seed, augment: recipe.Augment ? new Augmentation(data.CropPadding, true) : null);
        if (resumed is not null)
        {
            optimizer.LoadState(resumed.OptimizerState);
            loader.SetState(resumed.LoaderState);
            RandomSource.Global.SetState(resumed.GlobalRandomState);
        }
        var metadata = TrainingData.Describe(normalization, data.ClassNames, train.ItemShape);
        data.Pictures?.Describe(metadata, data.HeldOut);
        metadata[TrainRecipe.MetadataKey] = recipe.ToJson();
        var checkpoints = new CheckpointCallback(request.Output, metadata);
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
            Callbacks = [output, checkpoints, record],
        });
        context.Output.WriteLine($"model: {recipe.Model}, {model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size):N0} parameters; {train.Count:N0} training and {test.Count:N0} test images; {recipe.Optimizer} lr {recipe.LearningRate}; {Parallelism.MaxThreads} threads, SIMD {Simd.Level}");
        if (resumed is not null)
        {
            context.Output.WriteLine($"resuming after epoch {resumed.CompletedEpoch + 1} (step {resumed.GlobalStep}) from {request.ResumeFrom}");
        }
        TrainingHistory history = output.Run(() => trainer.Fit(loader, test, output));
        EpochReport? best = history.Best;
        context.Output.WriteLine(best is null
            ? $"no epoch ran (already at epoch {recipe.Epochs}); checkpoints in {checkpoints.Directory}"
            : $"best test accuracy {best.ValidationAccuracy:P2} after epoch {best.Epoch + 1}: {checkpoints.BestPath}");
        if (history.Epochs.Count > 0)
        {
            Report.TrainingReport.Build(checkpoints.Directory, null, (test, data.Description), null, context.Output).Commit(context.Output);
        }
        return CliApp.Success;
    }

    /// <summary>How a resumed run read its folder of pictures: the recorded size, channels and split.</summary>
    private static PictureOptions RecordedPictures(TrainingCheckpoint resumed)
    {
        Shape? item = resumed.Metadata.TryGetValue(TrainingData.InputShapeKey, out string? json) ? new Shape(System.Text.Json.JsonSerializer.Deserialize<int[]>(json) ?? []) : null;
        return PictureOptions.FromMetadata(resumed.Metadata, item);
    }
}
