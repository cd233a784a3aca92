using Convolve.Layers;
using Convolve.Models;
using Convolve.Onnx;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Onnx;

/// <summary>
/// Seeded fuzzing of the ONNX importer: every mutant of a valid file either imports into a model
/// that runs, or is refused with <see cref="OnnxFormatException"/> (its offset inside the file) or
/// <see cref="OnnxUnsupportedException"/> — never another exception — within a time and
/// allocation budget. <c>CONVOLVE_ONNX_FUZZ_CASES</c> runs more cases, <c>CONVOLVE_ONNX_FUZZ_SEED</c>
/// another seed; a failure names the seed, the case and its mutations.
/// </summary>
public class ImportFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 3_000;
    private const ulong DefaultSeed = 20_261_129;

    [Fact]
    public void Mutated_files_import_or_fail_with_a_typed_error_only()
    {
        int cases = int.Parse(Environment.GetEnvironmentVariable("CONVOLVE_ONNX_FUZZ_CASES") ?? DefaultCases.ToString());
        ulong seed = ulong.Parse(Environment.GetEnvironmentVariable("CONVOLVE_ONNX_FUZZ_SEED") ?? DefaultSeed.ToString());
        byte[][] bases = Bases();
        var outcomes = new Dictionary<string, int> { ["imported"] = 0, ["format"] = 0, ["unsupported"] = 0 };
        for (int c = 0; c < cases; c++)
        {
            var random = new RandomSource(seed * 1_000_003 + (ulong)c);
            var log = new List<string>();
            int which = random.NextInt(bases.Length);
            byte[] file = bases[which];
            var mutator = new OnnxMutator(random);
            for (int m = 1 + random.NextInt(3); m > 0; m--)
            {
                file = mutator.Mutate(file, log);
            }
            outcomes[Check(file, $"fuzz seed {seed} case {c} (base {which}: {string.Join("; ", log)})")]++;
        }
        output.WriteLine($"seed {seed}, {cases} cases: {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}");
        Assert.All(outcomes, o => Assert.True(o.Value >= cases / 50, $"only {o.Value} cases {o.Key}: the mutations do not exercise every outcome"));
    }

    private static string Check(byte[] file, string where)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string outcome;
        try
        {
            OnnxImport imported = OnnxImporter.Read(file, "fuzz.onnx");
            imported.Model.Eval();
            if (imported.ItemShape.Size <= 4096)
            {
                imported.Model.Forward(new Tensor(new Shape([1, .. imported.ItemShape.Dimensions])));
            }
            outcome = "imported";
        }
        catch (OnnxFormatException ex)
        {
            Assert.True(ex.Offset >= 0 && ex.Offset <= file.Length, $"{where}: offset {ex.Offset} outside the {file.Length}-byte file");
            Assert.StartsWith("fuzz.onnx: at byte ", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ex.Message, char.IsControl);
            outcome = "format";
        }
        catch (OnnxUnsupportedException ex)
        {
            Assert.StartsWith("fuzz.onnx: ", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(ex.Message, char.IsControl);
            outcome = "unsupported";
        }
        catch (Exception ex)
        {
            Assert.Fail($"{where}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            throw;
        }
        long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(bytes <= 64L * file.Length + (64 << 20), $"{where}: allocated {bytes:N0} bytes for a {file.Length:N0}-byte file");
        Assert.True(clock.ElapsedMilliseconds < 5_000, $"{where}: took {clock.ElapsedMilliseconds} ms");
        return outcome;
    }

    /// <summary>Small valid files: Convolve's exports of a residual network and of a mixed one, and PyTorch's small fixtures.</summary>
    private static byte[][] Bases()
    {
        var residual = new Sequential(
            new Conv2d(1, 2, 3, padding: 1, random: new RandomSource(1)), new BatchNorm2d(2), new ReLU(),
            new Residual(new Sequential(new Conv2d(2, 2, 3, padding: 1, random: new RandomSource(2)), new ReLU())),
            new MaxPool2d(2, ceilMode: true), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(2, 3, random: new RandomSource(3)));
        var mixed = new Sequential(
            new ConvTranspose1d(2, 2, 3, stride: 2, padding: 1, outputPadding: 1, random: new RandomSource(4)), new LeakyReLU(0.1f),
            new AvgPool1d(2, padding: 1, countIncludePad: false), new LPPool1d(2, 2), new Sigmoid(), new Flatten(), new Linear(6, 2, random: new RandomSource(5)), new Tanh());
        string folder = Path.Combine(AppContext.BaseDirectory, "Data", "onnx");
        return
        [
            OnnxExporter.Export(residual, new Shape(1, 6, 6)),
            OnnxExporter.Export(mixed, new Shape(2, 5)),
            .. new[] { "pooling", "conv1d", "transposed" }.Select(name => File.ReadAllBytes(Path.Combine(folder, name + ".onnx"))),
        ];
    }
}
