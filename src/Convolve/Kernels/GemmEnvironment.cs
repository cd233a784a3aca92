namespace Convolve.Kernels;

/// <summary>Parsing of the GEMM environment variables, with messages that say what to set instead.</summary>
internal static class GemmEnvironment
{
    /// <summary>Parses <c>CONVOLVE_GEMM</c>; returns null on success or the error message.</summary>
    public static string? ParseBackend(string? value, out GemmBackend backend)
    {
        backend = GemmBackend.Managed;
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "managed":
                return null;
            case "openblas":
                backend = GemmBackend.OpenBlas;
                return null;
            default:
                return $"{Gemm.BackendEnvironmentVariable}=\"{value}\" is not a GEMM backend; use managed or openblas";
        }
    }

    /// <summary>
    /// Parses <c>CONVOLVE_THREADS</c>: a missing or empty value gives <paramref name="fallback"/>;
    /// anything but a positive integer sets <paramref name="error"/>.
    /// </summary>
    public static int ParseThreads(string? value, int fallback, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }
        if (int.TryParse(value.Trim(), out int threads) && threads >= 1)
        {
            return threads;
        }
        error = $"{Gemm.ThreadsEnvironmentVariable}=\"{value}\" must be a positive integer (the most threads a GEMM may use)";
        return fallback;
    }
}
