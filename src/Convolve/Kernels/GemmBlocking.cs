namespace Convolve.Kernels;

/// <summary>
/// BLIS cache-blocking sizes: <see cref="MC"/> rows of A are packed per block (the packed block
/// MC×KC is meant to stay in L2), <see cref="KC"/> is the depth of one pass (a packed kc×NR panel of
/// B stays in L1 while the A panels stream past it), <see cref="NC"/> columns of B are packed per
/// block (KC×NC in L3). MC and NC are multiples of the kernel's MR and NR so that the tile grid
/// of C never depends on how the work is split. Tests shrink them to reach every edge.
/// </summary>
internal readonly record struct GemmBlocking(int MC, int KC, int NC)
{
    /// <summary>
    /// The defaults for a SIMD level. Vector256 was measured on the development machine (Zen, AVX2,
    /// 32 KB L1D, 1 MB L2): KC = 512 beat BLIS's Haswell choice of 256 by 5–10% on 1024²–2048² and
    /// the batched convolution shapes, with the A block (72×512) well inside L2. Vector512 keeps the
    /// 32×256 B panel at 32 KB so that it stays in L1 (not measured here: no AVX-512 on this machine).
    /// </summary>
    public static GemmBlocking For(SimdLevel level) => level switch
    {
        SimdLevel.Vector512 => new GemmBlocking(MC: 192, KC: 256, NC: 3072),
        SimdLevel.Vector256 => new GemmBlocking(MC: 72, KC: 512, NC: 4080),
        SimdLevel.Vector128 => new GemmBlocking(MC: 72, KC: 512, NC: 2048),
        _ => new GemmBlocking(MC: 64, KC: 512, NC: 1024),
    };

    /// <summary>The same sizes rounded up to whole register tiles of an MR×NR kernel.</summary>
    public GemmBlocking RoundedTo(int mr, int nr) =>
        new(RoundUp(Math.Max(1, MC), mr), Math.Max(1, KC), RoundUp(Math.Max(1, NC), nr));

    /// <summary><paramref name="value"/> rounded up to a multiple of <paramref name="multiple"/>.</summary>
    public static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
