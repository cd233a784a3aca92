using System.Text.Json.Nodes;
using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Models;

public class ModelArchitectureRoundTripTests
{
    public static TheoryData<string> Samples => LayerSamples.All();

    public static TheoryData<string> ZooNames => ZooReference.Names();

    [Fact]
    public void Every_library_layer_type_has_a_sample_and_a_format()
    {
        var sampled = LayerSamples.Labels.SelectMany(label => LayerSamples.TypesWithin(LayerSamples.Create(label))).ToHashSet();
        Assert.All(LayerSamples.LibraryLayerTypes(), type => Assert.Contains(type, sampled));
        Assert.Equal(LayerSamples.LibraryLayerTypes().Select(t => t.Name).Order(), ModelArchitecture.LayerTypes.Order());
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_layer_type_round_trips(string label)
    {
        Layer original = LayerSamples.Create(label);
        AssertRoundTrip(original);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_rebuilt_layer_computes_the_same_function_given_the_same_state(string label)
    {
        Layer original = LayerSamples.Create(label);
        Layer rebuilt = ModelArchitecture.FromJson(ModelArchitecture.ToJson(original), new RandomSource(99));
        var input = Tensor.RandomNormal(LayerSamples.Input(label), 4);
        // A training pass moves any running statistics away from their initial values first.
        original.Forward(Tensor.RandomNormal(input.Shape, 5));
        CopyState(original, rebuilt);
        // Evaluation mode: dropout is the identity and batch normalisation reads the copied statistics.
        original.Eval();
        rebuilt.Eval();
        Tensor expected = original.Forward(input);
        Tensor actual = rebuilt.Forward(input);
        Assert.Equal(expected.Shape, actual.Shape);
        TensorAssert.Identical(expected.Span, actual.Span, label);
    }

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void Every_zoo_model_round_trips(string name) => AssertRoundTrip(ModelZoo.Create(name, random: new RandomSource(1)));

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void Zoo_models_are_described_as_PyTorchs_modules_describe_themselves(string name)
    {
        string ours = ModelArchitecture.ToJson(ModelZoo.Create(name, random: new RandomSource(1)));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ZooReference.Architecture(name)), JsonNode.Parse(ours)), $"{name}: {ours}");
    }

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void PyTorchs_description_rebuilds_its_state_dict_layout(string name)
    {
        Layer model = ModelArchitecture.FromJson(ZooReference.Architecture(name), new RandomSource(1));
        Assert.Equal(ZooReference.Parameters(name), model.NamedParameters().Select(p => (p.Name, p.Parameter.Shape)).ToArray());
        Assert.Equal(ZooReference.Buffers(name), model.NamedBuffers().Select(b => (b.Name, b.Buffer.Shape)).ToArray());
    }

    // The small models take PyTorch's default initialisation, which the architecture rebuilds from a
    // seed; resnet18, mobilenet-v2 and squeezenet then take torchvision's, a choice of the zoo that the
    // architecture JSON does not record (a checkpoint carries the values themselves).
    public static TheoryData<string> SmallZooNames => new(ModelZoo.SmallNames);

    [Theory]
    [MemberData(nameof(SmallZooNames))]
    public void The_same_seed_rebuilds_the_same_initial_values(string name)
    {
        Sequential original = ModelZoo.Create(name, random: new RandomSource(7));
        Layer rebuilt = ModelArchitecture.FromJson(ModelArchitecture.ToJson(original), new RandomSource(7));
        Assert.Equal(
            original.NamedParameters().SelectMany(p => p.Parameter.Value.Data),
            rebuilt.NamedParameters().SelectMany(p => p.Parameter.Value.Data));
    }

    [Fact]
    public void The_brief_example_is_written_with_PyTorchs_names()
    {
        Assert.Equal(
            """{"type":"Conv2d","in_channels":1,"out_channels":32,"kernel_size":[5,5],"stride":[1,1],"padding":[2,2],"dilation":[1,1],"groups":1,"bias":true}""",
            ModelArchitecture.ToJson(new Conv2d(1, 32, 5, padding: 2, random: new RandomSource(1))));
    }

    [Fact]
    public void Containers_padding_modes_and_numbers_are_written_exactly()
    {
        var model = new Residual(
            new Sequential(new Conv1d(2, 2, 4, padding: "same", bias: false, random: new RandomSource(1)), new BatchNorm1d(2), new LeakyReLU(0.01f), new Dropout(0.25f)));
        Assert.Equal(
            """{"type":"Residual","body":{"type":"Sequential","layers":[""" +
            """{"type":"Conv1d","in_channels":2,"out_channels":2,"kernel_size":[4],"stride":[1],"padding":"same","dilation":[1],"groups":1,"bias":false},""" +
            """{"type":"BatchNorm1d","num_features":2,"eps":1E-05,"momentum":0.1,"affine":true,"track_running_stats":true},""" +
            """{"type":"LeakyReLU","negative_slope":0.01},{"type":"Dropout","p":0.25}]},"shortcut":null}""",
            ModelArchitecture.ToJson(model));
    }

    [Fact]
    public void Indented_output_describes_the_same_model()
    {
        Sequential model = ModelZoo.Create("resnet-small", random: new RandomSource(1));
        string indented = ModelArchitecture.ToJson(model, indented: true);
        Assert.Contains("\n", indented, StringComparison.Ordinal);
        Assert.Equal(ModelArchitecture.ToJson(model), ModelArchitecture.ToJson(ModelArchitecture.FromJson(indented)));
    }

    [Fact]
    public void Padding_keeps_the_mode_it_was_given()
    {
        Assert.Equal(Padding.Same, new Conv2d(1, 1, 4, padding: "same").Padding);
        Assert.Equal(PaddingMode.Explicit, new Conv2d(1, 1, 3, padding: 1).Padding.Mode);
        var rebuilt = (Conv2d)ModelArchitecture.FromJson("""{"type":"Conv2d","in_channels":1,"out_channels":1,"kernel_size":[4,4],"stride":[1,1],"padding":"same","dilation":[1,1],"groups":1,"bias":true}""");
        Assert.Equal(PaddingMode.Same, rebuilt.Padding.Mode);
        // An even kernel pads one more after than before, which explicit sizes could not say.
        Assert.Equal([1, 1], rebuilt.Geometry.PadBefore);
        Assert.Equal([2, 2], rebuilt.Geometry.PadAfter);
    }

    private static void AssertRoundTrip(Layer original)
    {
        string json = ModelArchitecture.ToJson(original);
        Layer rebuilt = ModelArchitecture.FromJson(json, new RandomSource(3));
        Assert.Equal(json, ModelArchitecture.ToJson(rebuilt));
        Assert.IsType(original.GetType(), rebuilt);
        Assert.Equal(original.NamedParameters().Select(p => (p.Name, p.Parameter.Shape)), rebuilt.NamedParameters().Select(p => (p.Name, p.Parameter.Shape)));
        Assert.Equal(original.NamedBuffers().Select(b => (b.Name, b.Buffer.Shape)), rebuilt.NamedBuffers().Select(b => (b.Name, b.Buffer.Shape)));
    }

    private static void CopyState(Layer from, Layer to)
    {
        foreach (var ((_, source), (_, target)) in from.NamedParameters().Zip(to.NamedParameters()))
        {
            target.Load(source.Value.Span);
        }
        foreach (var ((_, source), (_, target)) in from.NamedBuffers().Zip(to.NamedBuffers()))
        {
            source.Span.CopyTo(target.Span);
        }
    }
}
