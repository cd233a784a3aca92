namespace Convolve.Serialization;

/// <summary>
/// Constants of the Convolve checkpoint format: the safetensors layout (an 8-byte little-endian
/// header length, a UTF-8 JSON header, then the raw little-endian tensor data) with metadata that
/// marks the file as a Convolve checkpoint of a given version.
/// </summary>
public static class CheckpointFormat
{
    /// <summary>The metadata key that names the format.</summary>
    public const string FormatKey = "format";

    /// <summary>The value of <see cref="FormatKey"/> in every Convolve checkpoint.</summary>
    public const string FormatName = "convolve-checkpoint";

    /// <summary>The metadata key that holds the format version.</summary>
    public const string VersionKey = "format_version";

    /// <summary>The version this code writes and the only one it reads.</summary>
    public const string Version = "1";

    /// <summary>
    /// The metadata key of the checksums (CRC-64 of every tensor and every other metadata value),
    /// computed by the writer (a value given by the caller is replaced) and verified on load.
    /// </summary>
    public const string ChecksumsKey = "checksums";

    /// <summary>The reserved header key of the string-to-string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted, in bytes (the limit of the safetensors reference reader).</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Smallest header, <c>{}</c>.</summary>
    public const long MinHeaderLength = 2;

    /// <summary>Size of the little-endian header-length prefix.</summary>
    public const int PrefixLength = 8;

    /// <summary>
    /// JSON nesting limit given to the reader: a valid header nests three deep (root, entry, shape
    /// array). The parser checks each token as it streams, so it refuses a misplaced object or
    /// array at its first token and names what it is; the limit is a second line of defence.
    /// </summary>
    public const int MaxJsonDepth = 4;
}
