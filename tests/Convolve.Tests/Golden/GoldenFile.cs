using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Convolve.Tensors;

namespace Convolve.Tests.Golden;

/// <summary>One PyTorch reference case: a layer kind, its options (PyTorch's names) and named tensors.</summary>
public sealed record GoldenCase(string Name, string Kind, JsonElement Options, IReadOnlyDictionary<string, Tensor> Tensors)
{
    public Tensor this[string tensor] =>
        Tensors.TryGetValue(tensor, out var t) ? t : throw new KeyNotFoundException($"golden case {Name} has no tensor '{tensor}'");

    public int IntOf(string key) => Options.GetProperty(key).GetInt32();

    public double DoubleOf(string key) => Options.GetProperty(key).GetDouble();

    public bool BoolOf(string key) => Options.GetProperty(key).GetBoolean();

    public string StringOf(string key) => Options.GetProperty(key).GetString()!;

    public int[] IntsOf(string key) => Options.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>Padding given either as sizes or as a mode name ("same", "valid", "full").</summary>
    public global::Convolve.Kernels.Padding PaddingOf(string key) =>
        Options.GetProperty(key).ValueKind == JsonValueKind.String ? global::Convolve.Kernels.Padding.Parse(StringOf(key)) : IntsOf(key);

    public override string ToString() => Name;
}

/// <summary>
/// Reads tests/Convolve.Tests/Data/golden.bin.gz, written by tools/reference/make_golden.py
/// (the layout is documented there).
/// </summary>
public static class GoldenFile
{
    private static readonly Lazy<IReadOnlyList<GoldenCase>> Cases = new(() => Read(Path.Combine(AppContext.BaseDirectory, "Data", "golden.bin.gz")));

    public static IReadOnlyList<GoldenCase> All => Cases.Value;

    public static IReadOnlyList<GoldenCase> Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip, Encoding.UTF8);
        string magic = Encoding.ASCII.GetString(reader.ReadBytes(8));
        if (magic != "CVGOLD01")
        {
            throw new InvalidDataException($"{path}: expected magic CVGOLD01 but found '{magic}'");
        }
        uint count = reader.ReadUInt32();
        var cases = new List<GoldenCase>((int)count);
        for (int i = 0; i < count; i++)
        {
            string name = ReadString(reader), kind = ReadString(reader);
            using var options = JsonDocument.Parse(ReadString(reader));
            uint tensorCount = reader.ReadUInt32();
            var tensors = new Dictionary<string, Tensor>();
            for (int t = 0; t < tensorCount; t++)
            {
                string tensorName = ReadString(reader);
                int rank = reader.ReadByte();
                var dims = new int[rank];
                for (int d = 0; d < rank; d++)
                {
                    dims[d] = reader.ReadInt32();
                }
                var shape = new Shape(dims);
                var data = new float[shape.Size];
                for (int e = 0; e < data.Length; e++)
                {
                    data[e] = reader.ReadSingle();
                }
                tensors[tensorName] = new Tensor(shape, data);
            }
            cases.Add(new GoldenCase(name, kind, options.RootElement.Clone(), tensors));
        }
        return cases;
    }

    private static string ReadString(BinaryReader reader) => Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadUInt16()));
}
