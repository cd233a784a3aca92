namespace Convolve.Tensors;

/// <summary>
/// A small, fast, seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose
/// sequence is fixed by its seed on every platform and .NET version, so that initialisation,
/// dropout masks and shuffles are reproducible.
/// </summary>
public sealed class RandomSource
{
    private ulong s0, s1, s2, s3;
    private double spareNormal;
    private bool hasSpareNormal;

    /// <summary>
    /// The process-wide default generator, used where no generator is passed (layer
    /// initialisation), like PyTorch's global generator. Not thread-safe: build models on one thread.
    /// </summary>
    public static RandomSource Global { get; private set; } = new(0);

    /// <summary>Reseeds <see cref="Global"/>, like <c>torch.manual_seed</c>.</summary>
    public static void ManualSeed(ulong seed) => Global = new RandomSource(seed);

    /// <summary>Creates a generator whose whole sequence is determined by <paramref name="seed"/>.</summary>
    public RandomSource(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Number of words in <see cref="GetState"/>: the four xoshiro words, the spare-normal flag and its bits.</summary>
    public const int StateLength = 6;

    /// <summary>
    /// The complete generator state (including a pending spare normal sample), so that a run can be
    /// checkpointed and resumed exactly with <see cref="SetState"/>.
    /// </summary>
    public ulong[] GetState() =>
        [s0, s1, s2, s3, hasSpareNormal ? 1UL : 0UL, BitConverter.DoubleToUInt64Bits(spareNormal)];

    /// <summary>Restores a state captured by <see cref="GetState"/>; validates it before changing anything.</summary>
    /// <exception cref="ArgumentException">The state has the wrong length, an all-zero xoshiro part, or a flag other than 0 or 1.</exception>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateLength)
        {
            throw new ArgumentException($"a RandomSource state has {StateLength} words but got {state.Length}", nameof(state));
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
        {
            // xoshiro256** never leaves the all-zero state, so no seed produces it.
            throw new ArgumentException("a RandomSource state cannot have all four generator words zero", nameof(state));
        }
        if (state[4] > 1)
        {
            throw new ArgumentException($"a RandomSource state's spare-normal flag must be 0 or 1 but got {state[4]}", nameof(state));
        }
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
        hasSpareNormal = state[4] == 1;
        spareNormal = BitConverter.UInt64BitsToDouble(state[5]);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>A standard normal sample (Marsaglia's polar method).</summary>
    public double NextNormal()
    {
        if (hasSpareNormal)
        {
            hasSpareNormal = false;
            return spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        spareNormal = v * factor;
        hasSpareNormal = true;
        return u * factor;
    }
}
