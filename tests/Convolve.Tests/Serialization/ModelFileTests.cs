using Convolve.Layers;
using Convolve.Models;
using Convolve.Serialization;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-model-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("lenet5")]
    [InlineData("fashion-cnn")]
    [InlineData("vgg-small")]
    [InlineData("resnet-small")]
    public void A_saved_model_loads_with_no_code_and_computes_the_same_outputs(string name)
    {
        var model = ModelZoo.Create(name, random: new RandomSource(3));
        model.Train();
        model.Forward(Tensor.RandomNormal(new Shape(4, 1, 28, 28), 9)); // moves BatchNorm statistics off their initial values
        model.Eval();
        string path = Path.Combine(folder, "model.safetensors");
        Model.Save(path, model);

        Layer loaded = Model.Load(path);
        loaded.Eval();
        var input = Tensor.RandomNormal(new Shape(2, 1, 28, 28), 10);
        TensorAssert.Identical(model.Forward(input).Data, loaded.Forward(input).Data, name);
        Assert.Equal(model.NamedBuffers().Select(b => b.Name), loaded.NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void A_model_with_NaN_is_refused_and_the_previous_file_is_untouched()
    {
        var model = ModelZoo.Create("lenet5", random: new RandomSource(1));
        string path = Path.Combine(folder, "model.safetensors");
        Model.Save(path, model);
        byte[] before = File.ReadAllBytes(path);
        ((Linear)((Sequential)model)[7]).Weight.Value.Data[5] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => Model.Save(path, model));
        Assert.Contains("NaN", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Loading_weights_of_another_shape_changes_nothing_and_names_the_tensor()
    {
        string path = Path.Combine(folder, "model.safetensors");
        Model.Save(path, new Sequential(new Linear(4, 3, random: new RandomSource(1))));
        var other = new Sequential(new Linear(4, 2, random: new RandomSource(2)));
        float[] before = (float[])other.NamedParameters().First().Parameter.Value.Data.Clone();
        var ex = Assert.Throws<CheckpointFormatException>(() => Model.LoadState(other, CheckpointReader.Load(path), path));
        Assert.Contains("0.weight", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, other.NamedParameters().First().Parameter.Value.Data);
    }

    [Fact]
    public void A_file_without_an_architecture_is_refused_clearly()
    {
        string path = Path.Combine(folder, "bare.safetensors");
        CheckpointWriter.Save(path, [TensorData.Create("0.weight", new Shape(1), new float[] { 1 })]);
        var ex = Assert.Throws<CheckpointFormatException>(() => Model.Load(path));
        Assert.Contains("architecture", ex.Message, StringComparison.Ordinal);
    }
}
