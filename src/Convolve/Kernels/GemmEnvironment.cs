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

}
