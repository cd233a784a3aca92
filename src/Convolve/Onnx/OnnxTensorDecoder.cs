namespace Convolve.Onnx;

/// <summary>Reads a <c>TensorProto</c> and checks that its data hold exactly the product of its dimensions.</summary>
internal static class OnnxTensorDecoder
{
    /// <summary>Decodes one tensor message.</summary>
    public static OnnxTensor Read(ProtoReader reader)
    {
        long start = reader.Position;
        var dims = new List<long>();
        var floats = new List<float>();
        var int64s = new List<long>();
        var int32s = new List<long>(); // int32_data, where BOOL values are stored when not raw
        (int DataType, string Name, byte[]? Raw, int RawOffset, long Location) t = (0, "", null, 0, 0);
        while (reader.TryReadKey(out int field, out int wire))
        {
            switch (field)
            {
                case 1: reader.ReadInt64s(field, wire, dims); break;
                case 2: t.DataType = reader.ReadInt32(field, wire); break;
                case 4: reader.ReadFloats(field, wire, floats); break;
                case 5: reader.ReadInt64s(field, wire, int32s); break;
                case 7: reader.ReadInt64s(field, wire, int64s); break;
                case 8: t.Name = reader.ReadString(field, wire); break;
                case 9:
                    t.RawOffset = reader.Position;
                    t.Raw = reader.ReadBytes(field, wire).ToArray();
                    break;
                case 14: t.Location = reader.ReadInt64(field, wire); break;
                default: reader.Skip(field, wire); break;
            }
        }
        long count = ElementCount(reader, start, t.Name, dims);
        bool external = t.Location == 1;
        if (!external && t.DataType == OnnxFields.Bool)
        {
            return Bools(reader, start, t.Name, dims, count, t.Raw, t.RawOffset, int32s);
        }
        if (external || t.DataType is not (OnnxFields.Float or OnnxFields.Int64))
        {
            return new OnnxTensor(t.Name, [.. dims], t.DataType, [], [], external);
        }
        int size = t.DataType == OnnxFields.Float ? sizeof(float) : sizeof(long);
        if (t.Raw is not null)
        {
            if (t.Raw.Length != count * size)
            {
                throw reader.Error(t.RawOffset, $"tensor '{t.Name}' has dimensions [{string.Join(", ", dims)}] ({count:N0} values, {count * size:N0} bytes) but its raw_data holds {t.Raw.Length:N0} bytes");
            }
            return t.DataType == OnnxFields.Float
                ? OnnxTensor.FromFloats(t.Name, [.. dims], TensorBytes.ReadSingles(t.Raw))
                : OnnxTensor.FromInt64s(t.Name, [.. dims], TensorBytes.ReadInt64s(t.Raw));
        }
        int stored = t.DataType == OnnxFields.Float ? floats.Count : int64s.Count;
        if (stored != count)
        {
            throw reader.Error(start, $"tensor '{t.Name}' has dimensions [{string.Join(", ", dims)}] ({count:N0} values) but holds {stored:N0}");
        }
        return t.DataType == OnnxFields.Float
            ? OnnxTensor.FromFloats(t.Name, [.. dims], [.. floats])
            : OnnxTensor.FromInt64s(t.Name, [.. dims], [.. int64s]);
    }

    /// <summary>A BOOL tensor (a byte a value in raw_data, else int32_data) as 0 and 1 in <c>Int64s</c>.</summary>
    private static OnnxTensor Bools(ProtoReader reader, long start, string name, List<long> dims, long count, byte[]? raw, int rawOffset, List<long> int32s)
    {
        long[] values = raw is not null ? [.. raw.Select(b => (long)b)] : [.. int32s];
        if (values.Length != count)
        {
            throw reader.Error(raw is not null ? rawOffset : start, $"tensor '{name}' has dimensions [{string.Join(", ", dims)}] ({count:N0} values) but holds {values.Length:N0} bool values");
        }
        return new OnnxTensor(name, [.. dims], OnnxFields.Bool, [], [.. values.Select(v => v != 0 ? 1L : 0L)]);
    }

    /// <summary>The product of the dimensions; each must be non-negative and the product fit in memory.</summary>
    private static long ElementCount(ProtoReader reader, long start, string name, List<long> dims)
    {
        long count = 1;
        foreach (long dim in dims)
        {
            if (dim is < 0 or > int.MaxValue || (dim > 0 && count > int.MaxValue / dim))
            {
                throw reader.Error(start, $"tensor '{name}' has dimensions [{string.Join(", ", dims)}]: each must be non-negative and their product at most {int.MaxValue:N0}");
            }
            count *= dim;
        }
        return count;
    }
}
