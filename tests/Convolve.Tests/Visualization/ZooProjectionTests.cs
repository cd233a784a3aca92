using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Tests.Visualization;

/// <summary>Every zoo model, BatchNorm, Dropout and residual ones included, projects every layer's features back to the input.</summary>
public class ZooProjectionTests
{
    // The small models: projecting every layer of resnet18 and mobilenet-v2 would cost minutes, and
    // squeezenet's Fire graphs are not walked by the projection yet (issue 19, item 3).
    public static TheoryData<string> Zoo => new(ModelZoo.SmallNames);

    [Theory]
    [MemberData(nameof(Zoo))]
    public void Every_layer_of_every_zoo_model_projects_to_a_finite_input_sized_signal(string name)
    {
        Sequential model = ModelZoo.Create(name, random: new RandomSource(4));
        var image = Tensor.RandomNormal(new Shape(1, 1, 28, 28), 5);
        foreach (NamedLayer layer in NetworkLayers.Of(model).Where(l => l.Layer is ConvNd or Residual))
        {
            foreach (ProjectionMethod method in Enum.GetValues<ProjectionMethod>())
            {
                FeatureProjection projection = Deconvnet.Project(model, layer.Layer, image, 0, channel: 1, method);
                Assert.Equal(new Shape(1, 28, 28), projection.Projection.Shape);
                Assert.All(projection.Projection.Data, v => Assert.True(float.IsFinite(v)));
                Assert.True(projection.Projection.Data.Any(v => v != 0f) || projection.Site.Value <= 0f, $"{name} {layer.Display} {method}: an all-zero projection of activation {projection.Site.Value}");
            }
        }
        Tensor saliency = Saliency.Of(model, image, 3, ProjectionMethod.GuidedBackprop);
        Assert.Equal(new Shape(1, 28, 28), saliency.Shape);
    }
}
