using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Convolve.Serialization;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Serialization;

/// <summary>
/// Seeded fuzzing of the reader: mutated valid files must either fail with
/// <see cref="CheckpointFormatException"/> (and nothing else) or load into a checkpoint that
/// accounts for every data byte and round-trips unchanged. The inspector must agree with the
/// reader on every case. Set <c>CONVOLVE_FUZZ_MUTANTS</c> (or <c>CONVOLVE_FUZZ_CASES</c>) above
/// the default for a long run, as for the fuzz tests in Fuzzing/, and <c>CONVOLVE_FUZZ_SEED</c> to
/// change or replay the seed; every failure names seed and case.
/// </summary>
public partial class FuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 10_000;
    private const ulong DefaultSeed = 20_240_601;

    [Fact]
    public void Mutated_files_load_consistently_or_fail_with_a_format_error_only()
    {
        int cases = (int)Math.Max(ReadSetting("CONVOLVE_FUZZ_CASES", DefaultCases), ReadSetting("CONVOLVE_FUZZ_MUTANTS", DefaultCases));
        ulong seed = ReadSetting("CONVOLVE_FUZZ_SEED", DefaultSeed);
        byte[][] bases = FuzzBases();
        int loaded = 0;
        var rules = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < cases; c++)
        {
            var log = new List<string>();
            byte[] file = Mutated(bases, seed, c, log);
            string Where() => $"fuzz seed {seed} case {c} [{string.Join("; ", log)}]";
            string? problem = Check(file, Where);
            if (problem is null)
            {
                loaded++;
            }
            else
            {
                rules.Add(RuleOf(problem));
            }
        }
        output.WriteLine($"seed {seed}: {cases} cases, {loaded} loaded, {cases - loaded} refused, {rules.Count} distinct problems");
        if (cases >= DefaultCases)
        {
            // The mutations must exercise both outcomes and many different rules, or the fuzz proves little.
            Assert.InRange(loaded, cases / 50, cases / 2);
            Assert.True(rules.Count >= 60, $"only {rules.Count} distinct problems: {string.Join(" | ", rules)}");
        }
    }

    /// <summary>Case <paramref name="c"/>: one to three mutations of a base file, from a generator seeded by seed and case alone.</summary>
    private static byte[] Mutated(byte[][] bases, ulong seed, int c, List<string> log)
    {
        var random = new RandomSource(seed * 1_000_003 + (ulong)c);
        int which = random.NextInt(bases.Length);
        byte[] file = bases[which];
        log.Add($"base {which}");
        try
        {
            var mutator = new CheckpointMutator(random);
            for (int m = random.NextInt(10) < 7 ? 1 : 2 + random.NextInt(2); m > 0; m--)
            {
                file = mutator.Mutate(file, log);
            }
        }
        catch (Exception e)
        {
            Assert.Fail($"fuzz seed {seed} case {c} [{string.Join("; ", log)}]: the mutator itself failed: {e}");
        }
        return file;
    }

    /// <summary>Returns null when the file loaded (after checking it), else the problem reported.</summary>
    private static string? Check(byte[] file, Func<string> where)
    {
        Checkpoint? checkpoint = null;
        CheckpointFormatException? refused = null;
        try
        {
            checkpoint = CheckpointReader.Load(new MemoryStream(file, writable: false), "fuzz.ckpt");
        }
        catch (CheckpointFormatException e)
        {
            refused = e;
        }
        catch (Exception e)
        {
            Assert.Fail($"{where()}: {e.GetType().Name} escaped instead of CheckpointFormatException: {e}");
        }
        var inspection = CheckpointInspector.Inspect(new MemoryStream(file, writable: false), "fuzz.ckpt");
        if (inspection.Problem != refused?.Message)
        {
            Assert.Fail($"{where()}: inspector says \"{inspection.Problem}\" but the reader \"{refused?.Message}\"");
        }
        if (refused is not null)
        {
            if (refused.Offset is < 0 || refused.Offset > file.Length)
            {
                Assert.Fail($"{where()}: offset {refused.Offset} is outside the {file.Length}-byte file: {refused.Message}");
            }
            return refused.Message;
        }
        CheckLoaded(file, checkpoint!, where);
        return null;
    }

    private static void CheckLoaded(byte[] file, Checkpoint checkpoint, Func<string> where)
    {
        long dataLength = file.Length - 8 - (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        long covered = checkpoint.Tensors.Sum(t => (long)t.ByteLength);
        if (covered != dataLength)
        {
            Assert.Fail($"{where()}: tensors hold {covered} bytes but the data section has {dataLength}");
        }
        var content = CheckpointContent.Prepare(checkpoint.Tensors, checkpoint.Metadata, refuseNonFinite: false, checksums: checkpoint.IsVerified);
        var stream = new MemoryStream();
        SafetensorsEncoder.Write(stream, SafetensorsEncoder.EncodeHeader(content), content);
        var again = CheckpointReader.Load(new MemoryStream(stream.ToArray()), "fuzz-round-trip.ckpt");
        bool same = again.Tensors.Count == checkpoint.Tensors.Count
            && again.Tensors.Zip(checkpoint.Tensors).All(pair => pair.First.ContentEquals(pair.Second))
            && again.Metadata.Count == checkpoint.Metadata.Count
            && checkpoint.Metadata.All(pair => again.Metadata.TryGetValue(pair.Key, out string? value) && value == pair.Value);
        if (!same)
        {
            Assert.Fail($"{where()}: the loaded checkpoint did not round-trip");
        }
    }

    private static byte[][] FuzzBases()
    {
        var metadata = new Dictionary<string, string> { ["epoch"] = "12", ["architecture"] = "{\"layers\":[{\"type\":\"Conv2d\",\"k\":3}]}" };
        return
        [
            Encode(
            [
                TensorData.Create("conv.weight", new Shape(2, 3), [1f, -2f, 3.5f, 0f, -0f, 1e-3f]),
                TensorData.Create("conv.bias", new Shape(2), [0.5, -0.25]),
                TensorData.Create("step", new Shape(), [123L]),
                TensorData.Create("perm", new Shape(3), [2, 0, 1]),
                TensorData.Create("mask", new Shape(4), [(byte)1, (byte)0, (byte)1, (byte)1]),
                TensorData.Create("empty", new Shape(0, 2), ReadOnlySpan<float>.Empty),
            ], metadata),
            Encode([TensorData.Create("w", new Shape(4), [1f, 2f, 3f, 4f])], null),
            Encode([TensorData.Create("w", new Shape(2, 2), [1f, 2f, 3f, 4f]), TensorData.Create("n", new Shape(1), [7L])], metadata, checksums: true),
            Encode([], new Dictionary<string, string> { ["note"] = "no tensors, é 😀" }),
            Encode([TensorData.Create("a", new Shape(4), new byte[] { 1, 2, 3, 4 }), TensorData.Create("b", new Shape(6), new byte[6])], metadata),
            CraftedFile.WithEntries(
                "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]},\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[8,12]}",
                [1, 0, 0, 0, 2, 0, 0, 0, 9, 8, 7, 6]),
        ];
    }

    // Most bases have no checksums, as files of other writers, so that mutations reach every rule
    // behind them; one has checksums, so that the fuzz also exercises their verification.
    private static byte[] Encode(IEnumerable<TensorData> tensors, IReadOnlyDictionary<string, string>? metadata, bool checksums = false)
    {
        var content = CheckpointContent.Prepare(tensors, metadata, refuseNonFinite: true, checksums);
        var stream = new MemoryStream();
        SafetensorsEncoder.Write(stream, SafetensorsEncoder.EncodeHeader(content), content);
        return stream.ToArray();
    }

    private static ulong ReadSetting(string name, ulong fallback) =>
        ulong.TryParse(Environment.GetEnvironmentVariable(name), out ulong value) && value > 0 ? value : fallback;

    // Problems differ in names, numbers and quoted text; what is left identifies the rule.
    private static string RuleOf(string problem) => Specifics().Replace(problem[(problem.IndexOf(": ", StringComparison.Ordinal) + 2)..], "_");

    [GeneratedRegex("\"[^\"]*\"|'[^']*'|-?\\d[\\d.e+-]*|at byte _: ")]
    private static partial Regex Specifics();
}
