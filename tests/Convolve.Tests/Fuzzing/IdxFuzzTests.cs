using Convolve.Data;
using Convolve.Tensors;
using Convolve.Tests.DataPipeline;
using Xunit.Abstractions;

namespace Convolve.Tests.Fuzzing;

/// <summary>
/// Fuzzing of IDX files, raw and gzip, through <see cref="IdxFile.Read(Stream, string)"/> and (for
/// some mutants) <see cref="Dataset.FromIdx"/>: each mutant loads, and then writes back to the
/// same content, or is refused with <see cref="IdxFormatException"/>; nothing else escapes, no
/// load hangs, and none allocates more than a few times what the file holds (a gzip file counts
/// what it decompresses to). Long run: <c>CONVOLVE_FUZZ_MUTANTS=100000</c> (see <see cref="ModelFileFuzzTests"/>).
/// </summary>
public sealed class IdxFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const double AllocationFactor = 4;
    private const long AllocationSlack = 1 << 20;
    private static readonly Type[] Refusal = [typeof(IdxFormatException)];
    private readonly IdxBytes files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Every_mutated_idx_file_loads_consistently_or_is_refused_with_IdxFormatException()
    {
        ulong seed = FuzzSettings.Seed(20_251_112);
        var bases = Bases();
        var reads = new FuzzTally("IdxFile.Read");
        var datasets = new FuzzTally("Dataset.FromIdx");
        for (int m = 0; m < FuzzSettings.Mutants; m++)
        {
            var log = new List<string>();
            var random = new RandomSource(seed * 1_000_003 + (ulong)m);
            var (name, file) = bases[random.NextInt(bases.Length)];
            var mutator = new IdxMutator(random);
            for (int edits = random.NextInt(4) == 0 ? 2 : 1; edits > 0; edits--)
            {
                file = mutator.Mutate(file, log);
            }
            string Where() => $"fuzz seed {seed} mutant {m} [base {name}; {string.Join("; ", log)}]";
            long size = Math.Max(file.Length, IdxMutator.Decompress(file).Length);
            IdxArray? array = null;
            reads.Run(() => array = IdxFile.Read(new MemoryStream(file, false), "fuzz.idx"), size, AllocationFactor, AllocationSlack, Refusal, Where);
            if (array is not null)
            {
                CheckRoundTrip(file, array, Where);
            }
            if (m % 8 == 0 && (name.Contains("images", StringComparison.Ordinal) || name.Contains("labels", StringComparison.Ordinal)))
            {
                CheckDataset(name, file, size, datasets, Where);
            }
        }
        output.WriteLine(reads.ToString());
        output.WriteLine(datasets.ToString());
        Assert.True(reads["loaded"] > 0 && reads.Count > reads["loaded"], reads.ToString());
    }

    /// <summary>A loaded array writes back to exactly the (decompressed) bytes it was read from.</summary>
    private static void CheckRoundTrip(byte[] file, IdxArray array, Func<string> where)
    {
        var written = new MemoryStream();
        IdxFile.Write(written, array);
        bool gzip = file.Length >= 2 && file[0] == 0x1F && file[1] == 0x8B;
        byte[] content = gzip ? IdxMutator.Decompress(file) : file;
        Assert.True(content.AsSpan().SequenceEqual(written.ToArray()), $"{where()}: loaded {array.ElementType} {array.Shape} but it does not write back to the file's content");
    }

    /// <summary>A mutated image (or label) file paired with the base's other half.</summary>
    private void CheckDataset(string name, byte[] file, long size, FuzzTally datasets, Func<string> where)
    {
        bool images = name.Contains("images", StringComparison.Ordinal);
        string mutant = files.File("mutant", file);
        string partner = files.File("partner", images
            ? IdxBytes.Build(0x08, [12], [.. Enumerable.Range(0, 12).Select(i => (byte)(i % 10))])
            : IdxBytes.Build(0x08, [12, 5, 4], new byte[240]));
        datasets.Run(() => Dataset.FromIdx(images ? mutant : partner, images ? partner : mutant), size + 4096, AllocationFactor * 3, AllocationSlack, Refusal, where);
    }

    private static (string Name, byte[] File)[] Bases()
    {
        var random = new RandomSource(77);
        byte[] Bytes(int count) => [.. Enumerable.Range(0, count).Select(_ => (byte)random.NextInt(256))];
        byte[] images = IdxBytes.Build(0x08, [12, 5, 4], Bytes(240));
        byte[] labels = IdxBytes.Build(0x08, [12], [.. Enumerable.Range(0, 12).Select(i => (byte)(i % 10))]);
        byte[] floats = IdxBytes.Build(0x0D, [3, 2, 3, 3], [.. Enumerable.Range(0, 54).SelectMany(i => BitConverter.GetBytes((float)i / 7).Reverse())]);
        return
        [
            ("images ubyte", images), ("images ubyte gzip", IdxBytes.Gzip(images)),
            ("labels ubyte", labels), ("labels ubyte gzip", IdxBytes.Gzip(labels)),
            ("images float32 rank 4", floats), ("images float32 rank 4 gzip", IdxBytes.Gzip(floats)),
            ("labels int16", IdxBytes.Build(0x0B, [7], Bytes(14))), ("labels int32", IdxBytes.Build(0x0C, [5], Bytes(20))),
            ("labels sbyte", IdxBytes.Build(0x09, [6], Bytes(6))), ("float64 rank 2 gzip", IdxBytes.Gzip(IdxBytes.Build(0x0E, [4, 3], Bytes(96)))),
        ];
    }
}
