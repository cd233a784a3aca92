using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

public class TensorDataTests
{
    [Fact]
    public void Values_are_stored_as_little_endian_bytes()
    {
        // IEEE 754: 1.0f = 0x3F800000, 1.0 = 0x3FF0000000000000; two's complement -2 = 0xFF..FE.
        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F }, TensorData.Create("f", new Shape(1), [1f]).Bytes.ToArray());
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F }, TensorData.Create("d", new Shape(1), [1d]).Bytes.ToArray());
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, TensorData.Create("l", new Shape(1), [-2L]).Bytes.ToArray());
        Assert.Equal(new byte[] { 0x04, 0x03, 0x02, 0x01 }, TensorData.Create("i", new Shape(1), [0x01020304]).Bytes.ToArray());
    }

    [Fact]
    public void A_value_count_that_does_not_fit_the_shape_is_refused_with_both()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorData.Create("w", new Shape(2, 3), new float[5]));
        Assert.Contains("tensor \"w\" has 5 values but shape [2, 3] needs 6", error.Message, StringComparison.Ordinal);
        var raw = Assert.Throws<ArgumentException>(() => new TensorData("w", TensorDType.I64, new Shape(2), new byte[12]));
        Assert.Contains("tensor \"w\" of dtype I64 and shape [2] needs 16 bytes but got 12", raw.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorData("w", (TensorDType)99, new Shape(1), new byte[1]));
    }

    [Fact]
    public void Reading_values_of_another_dtype_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TensorData.Create("w", new Shape(1), [1f]).ToInt32Array());
        Assert.Equal("tensor \"w\" holds F32 values, not I32", error.Message);
        Assert.Throws<InvalidOperationException>(() => TensorData.Create("b", new Shape(1), [1d]).ToTensor());
    }

    [Fact]
    public void Tensors_convert_both_ways_and_the_data_is_a_copy()
    {
        var tensor = Tensor.RandomNormal(new Shape(2, 3, 4), 5);
        var data = TensorData.FromTensor("x", tensor);
        float original = tensor.Data[7];
        tensor.Data[7] = 123f;
        var back = data.ToTensor();
        Assert.Equal(new Shape(2, 3, 4), back.Shape);
        Assert.Equal(original, back.Data[7]);
        Assert.Equal(TensorDType.F32, data.DType);
        Assert.Equal(96, data.ByteLength);
        Assert.Equal("x: F32 [2, 3, 4]", data.ToString());

        byte[] raw = [1, 2, 3];
        var copied = new TensorData("r", TensorDType.U8, new Shape(3), raw);
        raw[0] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, copied.ToByteArray());
    }

    [Fact]
    public void Content_equality_compares_name_dtype_shape_and_bytes()
    {
        var a = TensorData.Create("a", new Shape(2), [1, 2]);
        Assert.True(a.ContentEquals(TensorData.Create("a", new Shape(2), [1, 2])));
        Assert.False(a.ContentEquals(TensorData.Create("b", new Shape(2), [1, 2])));
        Assert.False(a.ContentEquals(TensorData.Create("a", new Shape(1, 2), [1, 2])));
        Assert.False(a.ContentEquals(TensorData.Create("a", new Shape(2), [1, 3])));
        Assert.False(a.ContentEquals(TensorData.Create("a", new Shape(2), [1f, 2f])));
        Assert.False(a.ContentEquals(null));
    }

    [Theory]
    [InlineData(TensorDType.F32, "F32", 4)]
    [InlineData(TensorDType.F64, "F64", 8)]
    [InlineData(TensorDType.I32, "I32", 4)]
    [InlineData(TensorDType.I64, "I64", 8)]
    [InlineData(TensorDType.U8, "U8", 1)]
    public void Dtype_names_and_sizes_follow_safetensors(TensorDType dtype, string name, int size)
    {
        Assert.Equal(name, dtype.HeaderName());
        Assert.Equal(size, dtype.ElementSize());
        Assert.True(TensorDTypes.TryParse(name, out var parsed));
        Assert.Equal(dtype, parsed);
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("0")]
    [InlineData(" F32")]
    [InlineData("BF16")]
    [InlineData("")]
    [InlineData(null)]
    public void Dtype_parsing_is_exact(string? name) => Assert.False(TensorDTypes.TryParse(name, out _));
}
