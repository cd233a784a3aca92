using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Convolve.Kernels;

/// <summary>
/// The SIMD level every kernel uses, chosen once at start-up: the widest the hardware accelerates,
/// or a lower one named by the environment variable <c>CONVOLVE_SIMD</c>
/// (<c>scalar</c>, <c>128</c>, <c>256</c> or <c>512</c>) so that each code path can be exercised
/// on one machine. Asking for a level the hardware lacks is an error (no silent fallback: a test run
/// that believes it covers AVX-512 must not quietly run something else); reading
/// <see cref="Level"/> then throws <see cref="InvalidOperationException"/> with the reason.
/// </summary>
public static class Simd
{
    /// <summary>The environment variable that forces a lower level.</summary>
    public const string EnvironmentVariable = "CONVOLVE_SIMD";

    private static readonly SimdLevel ChosenLevel;
    private static readonly string? ChoiceError;

    static Simd()
    {
        HardwareLevel = DetectHardware();
        ChoiceError = TryChoose(Environment.GetEnvironmentVariable(EnvironmentVariable), HardwareLevel, out ChosenLevel);
    }

    /// <summary>The widest level this processor accelerates.</summary>
    public static SimdLevel HardwareLevel { get; }

    /// <summary>The level in use: <see cref="HardwareLevel"/> unless <c>CONVOLVE_SIMD</c> lowers it.</summary>
    /// <exception cref="InvalidOperationException">
    /// <c>CONVOLVE_SIMD</c> names an unknown level or one this hardware does not accelerate.
    /// </exception>
    public static SimdLevel Level => ChoiceError is null ? ChosenLevel : throw new InvalidOperationException(ChoiceError);

    /// <summary>
    /// Parses a <c>CONVOLVE_SIMD</c> value against the hardware level; returns null and the level on
    /// success, or the error message. An empty or missing value selects the hardware level.
    /// </summary>
    internal static string? TryChoose(string? requested, SimdLevel hardware, out SimdLevel level)
    {
        level = hardware;
        if (string.IsNullOrWhiteSpace(requested))
        {
            return null;
        }
        SimdLevel? parsed = requested.Trim().ToLowerInvariant() switch
        {
            "scalar" => SimdLevel.Scalar,
            "128" => SimdLevel.Vector128,
            "256" => SimdLevel.Vector256,
            "512" => SimdLevel.Vector512,
            _ => null,
        };
        if (parsed is null)
        {
            return $"{EnvironmentVariable}=\"{requested}\" is not a SIMD level; use scalar, 128, 256 or 512";
        }
        if (parsed > hardware)
        {
            return $"{EnvironmentVariable}={requested} asks for {parsed} but this processor accelerates at most {hardware}; " +
                "the variable can only lower the level";
        }
        level = parsed.Value;
        return null;
    }

    private static SimdLevel DetectHardware()
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return SimdLevel.Vector512;
        }
        if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            return SimdLevel.Vector256;
        }
        return Vector128.IsHardwareAccelerated ? SimdLevel.Vector128 : SimdLevel.Scalar;
    }
}
