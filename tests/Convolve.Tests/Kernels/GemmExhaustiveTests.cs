using Convolve.Kernels;

namespace Convolve.Tests.Kernels;

/// <summary>
/// Every microkernel, run in-process whatever the hardware (a level the processor lacks runs its
/// vectors in software: same code path, slower), against the float64 reference.
/// </summary>
[Trait("Category", "Simd")]
public class GemmExhaustiveTests
{
    public static TheoryData<SimdLevel> Levels => new(Enum.GetValues<SimdLevel>());

    private static readonly (bool A, bool B)[] Transpositions = [(false, false), (false, true), (true, false), (true, true)];

    /// <summary>
    /// Every m in 1..2·MR and n in 1..2·NR with all four transposition variants; MC = MR, NC = NR and
    /// KC = 8 make those sizes cross every block edge, and k, alpha, beta and the leading-dimension
    /// padding rotate over (1, 2, 8, 9, 17, 24), (1, −1.25), (0, 1, −0.5) and (0, 1, 3). A level the
    /// processor does not accelerate runs about a hundred times slower in software, so there n only
    /// takes the values around the tile edges and the transposition variant rotates with m + n.
    /// </summary>
    [Theory]
    [MemberData(nameof(Levels))]
    public void Every_small_size_and_variant_matches_the_reference(SimdLevel level)
    {
        var (mr, nr) = TileOf(level);
        var settings = new GemmSettings(level, 1, new GemmBlocking(MC: mr, KC: 8, NC: nr));
        int[] depths = [1, 2, 8, 9, 17, 24];
        float[] alphas = [1f, -1.25f], betas = [0f, 1f, -0.5f];
        int[] pads = [0, 1, 3];
        for (int m = 1; m <= 2 * mr; m++)
        {
            foreach (int n in Widths(level, nr))
            {
                int k = depths[(7 * m + n) % depths.Length];
                float alpha = alphas[(3 * m + n) % 2], beta = betas[(m + 2 * n) % 3];
                foreach (var (transposeA, transposeB) in Variants(level, m + n))
                {
                    var test = new GemmCase(transposeA, transposeB, m, n, k, alpha, beta, pads[(m + n) % 3], (ulong)(m * 1000 + n));
                    test.AssertMatchesReference(test.RunManaged(settings), $"{level}");
                }
            }
        }
    }

    /// <summary>Larger odd shapes with the level's default blocking, so that real block sizes are crossed too.</summary>
    [Theory]
    [MemberData(nameof(Levels))]
    public void Default_blocking_on_larger_odd_shapes_matches_the_reference(SimdLevel level)
    {
        var settings = GemmSettings.For(level, 1);
        (int M, int N, int K)[] shapes = level > Simd.HardwareLevel
            ? [(37, 70, 600)]
            : [(37, 70, 600), (130, 41, 530), (13, 300, 520)];
        foreach (var (m, n, k) in shapes)
        {
            foreach (var (transposeA, transposeB) in Transpositions)
            {
                var test = new GemmCase(transposeA, transposeB, m, n, k, 0.5f, -0.5f, 2, (ulong)(m + n + k));
                test.AssertMatchesReference(test.RunManaged(settings), $"{level}");
            }
        }
    }

    private static IEnumerable<int> Widths(SimdLevel level, int nr) =>
        level > Simd.HardwareLevel ? [1, 2, nr - 1, nr, nr + 1, 2 * nr - 1, 2 * nr] : Enumerable.Range(1, 2 * nr);

    private static (bool A, bool B)[] Variants(SimdLevel level, int rotation) =>
        level > Simd.HardwareLevel ? [Transpositions[rotation % Transpositions.Length]] : Transpositions;

    private static (int MR, int NR) TileOf(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => (GemmMicrokernel512.MR, GemmMicrokernel512.NR),
        SimdLevel.Vector256 => (GemmMicrokernel256.MR, GemmMicrokernel256.NR),
        SimdLevel.Vector128 => (GemmMicrokernel128.MR, GemmMicrokernel128.NR),
        _ => (GemmMicrokernelScalar.MR, GemmMicrokernelScalar.NR),
    };
}
