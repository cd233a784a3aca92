namespace Convolve.Tests.Fuzzing;

/// <summary>
/// How many mutants a fuzz test makes and from which seed: a short run by default (part of the
/// suite), a long one with <c>CONVOLVE_FUZZ_MUTANTS=100000</c>; <c>CONVOLVE_FUZZ_SEED</c> replays
/// another seed. Every failure message names the seed, the mutant and what was done to it.
/// </summary>
internal static class FuzzSettings
{
    /// <summary>Mutants per fuzz test in the suite's short run.</summary>
    public const int ShortRun = 2_000;

    public static int Mutants => (int)Read("CONVOLVE_FUZZ_MUTANTS", ShortRun);

    public static ulong Seed(ulong fallback) => Read("CONVOLVE_FUZZ_SEED", fallback);

    private static ulong Read(string name, ulong fallback) =>
        ulong.TryParse(Environment.GetEnvironmentVariable(name), out ulong value) && value > 0 ? value : fallback;
}
