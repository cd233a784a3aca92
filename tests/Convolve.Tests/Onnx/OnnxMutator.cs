using Convolve.Tensors;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Seeded mutations of ONNX files: raw ones that break the wire format (bit flips, byte
/// overwrites, truncation, splices) and structure-aware ones made on a <see cref="ProtoTree"/>
/// and re-encoded (a varint set to an edge value, a field dropped, repeated, renumbered or given
/// another wire type, a string or tensor's bytes replaced, a float set to NaN or a huge value),
/// which reach the checks behind the decoder. Each mutation logs what it did.
/// </summary>
internal sealed class OnnxMutator(RandomSource random)
{
    private static readonly ulong[] EdgeValues = [0, 1, 2, 3, 4, 7, 8, 127, 128, 255, 65_535, int.MaxValue, uint.MaxValue, long.MaxValue, ulong.MaxValue, unchecked((ulong)-1L), unchecked((ulong)-2L)];
    private static readonly string[] Words = ["", "Conv", "Softmax", "Add", "input", "output", "pads", "NOTSET", "SAME_LOWER", "0.weight", "ai.onnx.ml", "\u00e9"];

    public byte[] Mutate(byte[] file, List<string> log)
    {
        int kind = random.NextInt(10);
        ProtoTree? tree = kind < 7 ? ProtoTree.TryParse(file) : null;
        if (tree is null || tree.Fields.Count == 0)
        {
            return RawMutation(file, log);
        }
        var fields = tree.All().ToList();
        var (owner, field) = fields[random.NextInt(fields.Count)];
        log.Add($"field {field.Number} (wire {field.WireType}) of {fields.Count}");
        switch (random.NextInt(7))
        {
            case 0: SetValue(field, log); break;
            case 1: owner.Remove(field); log.Add("dropped"); break;
            case 2: owner.Insert(random.NextInt(owner.Count + 1), field); log.Add("repeated"); break;
            case 3: field.Number = 1 + random.NextInt(25); log.Add($"renumbered {field.Number}"); break;
            case 4: field.WireType = new[] { 0, 1, 2, 5 }[random.NextInt(4)]; field.Children = null; log.Add($"wire type {field.WireType}"); break;
            case 5: Resize(field, log); break;
            default: (owner[random.NextInt(owner.Count)], owner[owner.IndexOf(field)]) = (field, owner[random.NextInt(owner.Count)]); log.Add("swapped"); break;
        }
        return tree.Encode();
    }

    private void SetValue(ProtoField field, List<string> log)
    {
        switch (field.WireType)
        {
            case 0:
                field.Value = random.NextInt(3) == 0 ? random.NextUInt64() >> random.NextInt(64) : EdgeValues[random.NextInt(EdgeValues.Length)];
                log.Add($"value {field.Value}");
                break;
            case 5:
                field.Float = new[] { float.NaN, float.PositiveInfinity, -1f, 0f, 1e30f, 1e-30f }[random.NextInt(6)];
                log.Add($"float {field.Float}");
                break;
            default:
                field.Children = null;
                field.Bytes = System.Text.Encoding.UTF8.GetBytes(Words[random.NextInt(Words.Length)]);
                log.Add($"bytes '{System.Text.Encoding.UTF8.GetString(field.Bytes)}'");
                break;
        }
    }

    /// <summary>Cuts or extends a length-delimited value (a tensor's raw data, a packed list, a string).</summary>
    private void Resize(ProtoField field, List<string> log)
    {
        if (field.WireType != 2 || field.Children is not null)
        {
            SetValue(field, log);
            return;
        }
        int length = random.NextInt(2) == 0 ? random.NextInt(field.Bytes.Length + 1) : field.Bytes.Length + 1 + random.NextInt(9);
        byte[] bytes = new byte[length];
        field.Bytes.AsSpan(0, Math.Min(length, field.Bytes.Length)).CopyTo(bytes);
        field.Bytes = bytes;
        log.Add($"resized to {length} bytes");
    }

    private byte[] RawMutation(byte[] file, List<string> log)
    {
        byte[] result = (byte[])file.Clone();
        int at = file.Length == 0 ? 0 : random.NextInt(file.Length);
        switch (random.NextInt(4))
        {
            case 0 when file.Length > 0:
                result[at] ^= (byte)(1 << random.NextInt(8));
                log.Add($"flip a bit of byte {at}");
                return result;
            case 1 when file.Length > 0:
                result[at] = (byte)random.NextInt(256);
                log.Add($"set byte {at} to 0x{result[at]:X2}");
                return result;
            case 2:
                log.Add($"truncate to {at} bytes");
                return file[..at];
            default:
                int length = random.NextInt(Math.Max(1, file.Length - at) + 1);
                int to = random.NextInt(file.Length + 1);
                log.Add($"copy {length} bytes from {at} to {to}");
                return [.. file[..to], .. file.Skip(at).Take(length), .. file[to..]];
        }
    }
}
