using Convolve.Layers;
using Convolve.Models;
using Convolve.Tests.Layers.ResidualDoubles;

namespace Convolve.Tests.Models;

public class ModelArchitectureValidationTests
{
    private const string Conv = """{"type":"Conv2d","in_channels":1,"out_channels":2,"kernel_size":[3,3],"stride":[1,1],"padding":[1,1],"dilation":[1,1],"groups":1,"bias":true}""";

    [Theory]
    [InlineData("{\"type\":\"ReLU\"", "$", "not valid JSON")]
    [InlineData("", "$", "not valid JSON")]
    [InlineData("[]", "$", "expected a layer object such as {\"type\": \"ReLU\"} but got []")]
    [InlineData("{}", "$.type", "missing; every layer object names its type")]
    [InlineData("{\"type\":3}", "$.type", "expected a string but got 3")]
    [InlineData("{\"type\":\"Conv4d\"}", "$.type", "unknown layer type \"Conv4d\"; known types: Conv1d, Conv2d, Conv3d, ConvTranspose1d")]
    [InlineData("{\"type\":\"relu\"}", "$.type", "unknown layer type \"relu\"")]
    [InlineData("{\"type\":\"ReLU\",\"inplace\":false}", "$.inplace", "unexpected field; ReLU has only the fields \"type\"")]
    [InlineData("{\"type\":\"Dropout\",\"p\":0.5,\"p\":0.2}", "$.p", "the field appears more than once")]
    [InlineData("{\"type\":\"Flatten\",\"start_dim\":1}", "$.end_dim", "missing; Flatten needs the fields \"type\", \"start_dim\", \"end_dim\"")]
    [InlineData("{\"type\":\"Flatten\",\"start_dim\":1.5,\"end_dim\":-1}", "$.start_dim", "expected an integer but got 1.5")]
    [InlineData("{\"type\":\"Flatten\",\"start_dim\":3000000000,\"end_dim\":-1}", "$.start_dim", "expected an integer but got 3000000000")]
    [InlineData("{\"type\":\"Linear\",\"in_features\":2,\"out_features\":3,\"bias\":1}", "$.bias", "expected true or false but got 1")]
    [InlineData("{\"type\":\"Dropout\",\"p\":\"half\"}", "$.p", "expected a finite number but got \"half\"")]
    [InlineData("{\"type\":\"AdaptiveAvgPool2d\",\"output_size\":1}", "$.output_size", "expected an array of 2 integers but got 1")]
    [InlineData("{\"type\":\"AdaptiveAvgPool2d\",\"output_size\":[1,2,3]}", "$.output_size", "expected an array of 2 integers but got [1,2,3]")]
    [InlineData("{\"type\":\"AdaptiveAvgPool2d\",\"output_size\":[1,null]}", "$.output_size[1]", "expected an integer but got null")]
    [InlineData("{\"type\":\"Sequential\",\"layers\":{}}", "$.layers", "expected an array of layer objects but got {}")]
    [InlineData("{\"type\":\"Sequential\",\"layers\":[{\"type\":\"ReLU\"},7]}", "$.layers[1]", "expected a layer object")]
    [InlineData("{\"type\":\"Residual\",\"body\":null,\"shortcut\":null}", "$.body", "expected a layer object such as {\"type\": \"ReLU\"} but got null")]
    [InlineData("{\"type\":\"Residual\",\"body\":{\"type\":\"ReLU\"},\"shortcut\":{\"type\":\"Tanh\",\"x\":1}}", "$.shortcut.x", "unexpected field")]
    public void Malformed_descriptions_name_the_path_and_the_expectation(string json, string path, string message)
    {
        var ex = Assert.Throws<ModelArchitectureException>(() => ModelArchitecture.FromJson(json));
        Assert.Equal(path, ex.JsonPath);
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(ex);
    }

    [Fact]
    public void A_wrong_field_deep_in_a_model_is_located_by_its_full_path()
    {
        string json = $$"""{"type":"Sequential","layers":[{"type":"ReLU"},{"type":"ReLU"},{"type":"ReLU"},{{Conv.Replace("[3,3]", "5", StringComparison.Ordinal)}}]}""";
        var ex = Assert.Throws<ModelArchitectureException>(() => ModelArchitecture.FromJson(json));
        Assert.Equal("$.layers[3].kernel_size: expected an array of 2 integers but got 5", ex.Message);
    }

    [Theory]
    [InlineData("\"padding\":[1,1]", "\"padding\":\"SAME\"", "expected an array of 2 integers or one of \"valid\", \"same\", \"full\" but got \"SAME\"")]
    [InlineData("\"padding\":[1,1]", "\"padding\":true", "expected an array of 2 integers or one of \"valid\", \"same\", \"full\" but got true")]
    [InlineData("\"padding\":[1,1]", "\"padding\":[1]", "expected an array of 2 integers but got [1]")]
    public void Convolution_padding_is_sizes_or_a_named_mode(string field, string replacement, string message)
    {
        var ex = Assert.Throws<ModelArchitectureException>(() => ModelArchitecture.FromJson(Conv.Replace(field, replacement, StringComparison.Ordinal)));
        Assert.Equal("$.padding", ex.JsonPath);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"kernel_size\":[3,3]", "\"kernel_size\":[0,3]", "Conv2d does not accept these options: Conv2d: kernelSize must be positive but got [0, 3]")]
    [InlineData("\"groups\":1", "\"groups\":2", "groups (2) must divide both inChannels (1) and outChannels (2)")]
    [InlineData("\"stride\":[1,1],\"padding\":[1,1]", "\"stride\":[2,2],\"padding\":\"same\"", "padding \"same\" needs stride 1 but got stride [2, 2]")]
    public void Options_a_layer_refuses_are_reported_at_the_layer(string field, string replacement, string message)
    {
        string json = $$"""{"type":"Sequential","layers":[{{Conv.Replace(field, replacement, StringComparison.Ordinal)}}]}""";
        var ex = Assert.Throws<ModelArchitectureException>(() => ModelArchitecture.FromJson(json));
        Assert.Equal("$.layers[0]", ex.JsonPath);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(ex.InnerException);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted_and_one_more_level_is_refused()
    {
        static string Nested(int levels) =>
            string.Concat(Enumerable.Repeat("{\"type\":\"Sequential\",\"layers\":[", levels - 1)) + "{\"type\":\"ReLU\"}" + string.Concat(Enumerable.Repeat("]}", levels - 1));
        Assert.IsType<Sequential>(ModelArchitecture.FromJson(Nested(ModelArchitecture.MaxDepth)));
        var ex = Assert.Throws<ModelArchitectureException>(() => ModelArchitecture.FromJson(Nested(ModelArchitecture.MaxDepth + 1)));
        Assert.Equal("$" + string.Concat(Enumerable.Repeat(".layers[0]", ModelArchitecture.MaxDepth)), ex.JsonPath);
        Assert.Contains("layers nest deeper than 32 levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_json_inside_a_field_is_refused_by_the_parser_limit()
    {
        string json = "{\"type\":\"Dropout\",\"p\":" + new string('[', 200) + new string(']', 200) + "}";
        var ex = Assert.Throws<ModelArchitectureException>(() => ModelArchitecture.FromJson(json));
        Assert.Equal("$", ex.JsonPath);
        Assert.Contains("depth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_defined_outside_the_library_cannot_be_described()
    {
        var model = new Sequential(new ReLU(), new Residual(new FirstChannels(2)));
        var ex = Assert.Throws<ArgumentException>(() => ModelArchitecture.ToJson(model));
        Assert.Contains("layer \"1.body\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(FirstChannels).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("supported types: Conv1d", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_nested_deeper_than_the_limit_cannot_be_described()
    {
        Layer model = new ReLU();
        for (int level = 1; level <= ModelArchitecture.MaxDepth; level++)
        {
            model = new Sequential(model);
        }
        var ex = Assert.Throws<ArgumentException>(() => ModelArchitecture.ToJson(model));
        Assert.Contains("nests deeper than 32 levels", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"" + string.Join(".", Enumerable.Repeat("0", ModelArchitecture.MaxDepth)) + "\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => ModelArchitecture.ToJson(null!));
        Assert.Throws<ArgumentNullException>(() => ModelArchitecture.FromJson(null!));
    }
}
