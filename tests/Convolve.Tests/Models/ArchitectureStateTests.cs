using Convolve.Layers;
using Convolve.Models;

namespace Convolve.Tests.Models;

/// <summary>The state shapes computed from an architecture's JSON alone agree with the layers that JSON builds.</summary>
public class ArchitectureStateTests
{
    public static TheoryData<string> Samples => LayerSamples.All();

    public static TheoryData<string> ZooNames => ZooReference.Names();

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_shapes_from_the_json_are_the_shapes_of_the_built_layer(string label) =>
        AssertAgrees(LayerSamples.Create(label));

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void The_shapes_from_the_json_are_the_shapes_of_every_zoo_model(string name) =>
        AssertAgrees(ModelZoo.Create(name));

    [Fact]
    public void Invalid_options_leave_the_state_incomplete_for_the_constructor_to_explain()
    {
        var state = ArchitectureState.Of("{\"type\":\"Sequential\",\"layers\":[{\"type\":\"Linear\",\"in_features\":4,\"out_features\":2,\"bias\":true},"
            + "{\"type\":\"Linear\",\"in_features\":0,\"out_features\":2,\"bias\":true}]}");
        Assert.False(state.Complete);
        Assert.Equal(["0.weight", "0.bias"], state.Entries.Select(e => e.Name));
    }

    [Fact]
    public void Sizes_past_int_range_are_kept_exactly()
    {
        var state = ArchitectureState.Of("{\"type\":\"Linear\",\"in_features\":2000000000,\"out_features\":2000000000,\"bias\":false}");
        Assert.Equal([2_000_000_000L, 2_000_000_000L], state.Entries.Single().Shape);
    }

    private static void AssertAgrees(Layer layer)
    {
        var state = ArchitectureState.Of(ModelArchitecture.ToJson(layer));
        Assert.True(state.Complete);
        var expected = layer.NamedParameters().Select(p => (p.Name, p.Parameter.Value.Shape.Select(d => (long)d).ToArray()))
            .Concat(layer.NamedBuffers().Select(b => (b.Name, b.Buffer.Shape.Select(d => (long)d).ToArray())))
            .OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        var actual = state.Entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(e => e.Name), actual.Select(e => e.Name));
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Item2, pair.Second.Shape));
    }
}
