using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Serialization;
using Convolve.Tensors;
using Convolve.Tests.Dense;
using Convolve.Training;

namespace Convolve.Tests.Training;

/// <summary>
/// A training checkpoint is checked in full when it is loaded: every problem in its resume state
/// is a <see cref="CheckpointFormatException"/> naming the file, never a later, nameless
/// exception; and <see cref="TrainingCheckpoint.Resume"/> changes nothing when it refuses.
/// </summary>
[Collection(GlobalRandomSerial.Name)]
public sealed class TrainingCheckpointValidationTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-training-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Last => Path.Combine(folder, "last.safetensors");

    [Fact]
    public void An_optimizer_tensor_of_another_dtype_is_a_format_error_naming_the_file()
    {
        Rewrite(TrainOneEpoch(), "optimizer.step", TensorData.Create("optimizer.step", new Shape(1), [3]));
        var error = Assert.Throws<CheckpointFormatException>(() => TrainingCheckpoint.Load(Last));
        Assert.Contains(Last, error.Message, StringComparison.Ordinal);
        Assert.Contains("optimizer state 'optimizer.step' is I32 [1] but must be F32 [1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_count_no_optimizer_accepts_is_refused_at_load()
    {
        Rewrite(TrainOneEpoch(), "optimizer.step", TensorData.Create("optimizer.step", new Shape(1), [3.4e38f]));
        var error = Assert.Throws<CheckpointFormatException>(() => TrainingCheckpoint.Load(Last));
        Assert.Contains("'optimizer.step' is 3.4E+38 but must be a whole number in [0, 16777216]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_optimizer_buffer_for_a_parameter_that_does_not_exist_is_refused()
    {
        Rewrite(TrainOneEpoch(), null, TensorData.Create("optimizer.9.exp_avg", new Shape(1), [0f]));
        var error = Assert.Throws<CheckpointFormatException>(() => TrainingCheckpoint.Load(Last));
        Assert.Contains("INDEX one of the model's 6 parameters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("loader_state", "{\"Count\":45,\"BatchSize\":8,\"Epoch\":7,\"Position\":0,\"ShuffleState\":[1,2,3,4,0,0],\"AugmentState\":[1,2,3,4,0,0]}", "is at epoch 7, batch 0 of 6, but a checkpoint after epoch 0 must be at the start of epoch 1")]
    [InlineData("loader_state", "{\"Count\":45,\"BatchSize\":8,\"Epoch\":1,\"Position\":0,\"ShuffleState\":[0,0,0,0,0,0],\"AugmentState\":[1,2,3,4,0,0]}", "'loader_state.ShuffleState' is not a generator state")]
    [InlineData("loader_state", "[1,2]", "'loader_state' is not valid")]
    [InlineData("global_random_state", "[1,2,3]", "'global_random_state' is not a generator state: a RandomSource state has 6 words but got 3")]
    [InlineData("global_step", "-4", "'global_step' is \"-4\" but must be a whole number")]
    [InlineData("best_accuracy", "1.5", "'best_accuracy' is \"1.5\" but must be \"none\" or a number in [0, 1]")]
    [InlineData("best_epoch", "3", "'best_epoch' is \"3\" but must be \"none\" or a whole number in [0, 0]")]
    public void Malformed_run_state_is_refused_at_load_naming_the_entry(string key, string value, string problem)
    {
        var checkpoint = CheckpointReader.Load(TrainOneEpoch());
        var metadata = checkpoint.Metadata.ToDictionary(p => p.Key, p => p.Value);
        metadata[key] = value;
        CheckpointWriter.Save(Last, checkpoint.Tensors, metadata);
        var error = Assert.Throws<CheckpointFormatException>(() => TrainingCheckpoint.Load(Last));
        Assert.Contains($"{Last}: metadata ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_into_an_optimizer_of_another_kind_changes_nothing_and_names_the_file()
    {
        var checkpoint = TrainingCheckpoint.Load(TrainOneEpoch());
        var sgd = new Sgd(checkpoint.Model.NamedParameters().Select(p => p.Parameter), 0.1, momentum: 0.9);
        var loader = new DataLoader(TrainingSetup.Blobs(45, 5), 8, seed: 7);
        RandomSource.ManualSeed(123);
        ulong[] random = RandomSource.Global.GetState();
        var (optimizerBefore, loaderBefore) = (sgd.State(), loader.GetState());

        var error = Assert.Throws<ArgumentException>(() => checkpoint.Resume(sgd, loader, new TrainerOptions { Epochs = 3 }));

        Assert.StartsWith($"{Last}: cannot resume: optimizer state does not match", error.Message, StringComparison.Ordinal);
        Assert.All(optimizerBefore, pair => Assert.Equal(pair.Value.Data, sgd.State()[pair.Key].Data));
        Assert.Equal(loaderBefore.Epoch, loader.GetState().Epoch);
        Assert.Equal(loaderBefore.ShuffleState, loader.GetState().ShuffleState);
        Assert.Equal(random, RandomSource.Global.GetState());
    }

    [Fact]
    public void Resume_onto_other_data_is_refused_before_the_optimizer_changes()
    {
        var checkpoint = TrainingCheckpoint.Load(TrainOneEpoch());
        var adam = new Adam(checkpoint.Model.NamedParameters().Select(p => p.Parameter), 0.01);
        var otherData = new DataLoader(TrainingSetup.Blobs(30, 5), 8, seed: 7);
        var error = Assert.Throws<ArgumentException>(() => checkpoint.Resume(adam, otherData, new TrainerOptions { Epochs = 3 }));
        Assert.Contains("the state is for 45 items in batches of 8 but this loader has 30 items", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, adam.StepCount);
    }

    /// <summary>Trains the BatchNorm model one epoch with Adam and checkpoints; returns last.safetensors.</summary>
    private string TrainOneEpoch()
    {
        RandomSource.ManualSeed(3);
        Layer model = TrainingSetup.TinyCnnWithBatchNorm(4);
        var optimizer = new Adam(model.NamedParameters().Select(p => p.Parameter), 0.01);
        var loader = new DataLoader(TrainingSetup.Blobs(45, 5), 8, seed: 7);
        var options = new TrainerOptions { Epochs = 1, Callbacks = [new CheckpointCallback(folder)] };
        new Trainer(model, optimizer, new CrossEntropyLoss(), options).Fit(loader, TrainingSetup.Blobs(12, 6));
        return Last;
    }

    /// <summary>Re-saves last.safetensors (with fresh checksums) with one tensor replaced or added.</summary>
    private static void Rewrite(string path, string? replaced, TensorData tensor)
    {
        var checkpoint = CheckpointReader.Load(path);
        var tensors = checkpoint.Tensors.Where(t => t.Name != replaced).Append(tensor);
        CheckpointWriter.Save(path, tensors, checkpoint.Metadata);
    }
}
