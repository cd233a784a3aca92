namespace Convolve.Tests.Dense;

/// <summary>Tests that reseed <see cref="Convolve.Tensors.RandomSource.Global"/> run alone, so no other test draws from it meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomSerial
{
    public const string Name = "RandomSource.Global";
}
