using System.Buffers.Binary;

namespace Convolve.Serialization;

/// <summary>
/// Reads a checkpoint in stages (prefix, header, layout, format marker, checksums of the metadata,
/// data and its checksums), keeping what each stage established, so that
/// <see cref="CheckpointReader"/> and <see cref="CheckpointInspector"/> apply exactly the same
/// rules. Nothing is allocated from a header value before that value has been checked against
/// the real length of the file.
/// </summary>
internal sealed class CheckpointLayoutReader
{
    private readonly Stream stream;

    public CheckpointLayoutReader(Stream stream, string source)
    {
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException($"the stream for {source} must be readable and seekable", nameof(stream));
        }
        this.stream = stream;
        Source = source;
        FileLength = stream.Length - stream.Position;
    }

    public string Source { get; }

    public long FileLength { get; }

    public long? HeaderLength { get; private set; }

    public ParsedHeader? Header { get; private set; }

    /// <summary>The entries sorted by data position, once the layout has been validated.</summary>
    public IReadOnlyList<TensorEntry>? FileOrder { get; private set; }

    /// <summary>The file's checksums once the metadata matched them; null for a file without any.</summary>
    public CheckpointChecksums? Checksums { get; private set; }

    private long DataStart => CheckpointFormat.PrefixLength + HeaderLength!.Value;

    /// <summary>Every check that does not need the tensor data.</summary>
    public void ReadLayout()
    {
        ReadHeaderLength();
        var header = new byte[HeaderLength!.Value];
        Fill(header, CheckpointFormat.PrefixLength, "the header");
        Header = SafetensorsHeaderParser.Parse(header, Source, CheckpointFormat.PrefixLength);
        FileOrder = SafetensorsLayout.Validate(Header.Entries, Source, DataStart, FileLength - DataStart);
        CheckFormatMarker(Header.Metadata);
        Checksums = CheckpointChecksums.Read(Header, Source);
    }

    /// <summary>Validates everything, then reads every tensor and checks it against its checksum.</summary>
    public Checkpoint ReadCheckpoint()
    {
        ReadLayout();
        var tensors = new List<TensorData>(FileOrder!.Count);
        foreach (var entry in FileOrder)
        {
            var bytes = new byte[entry.ByteLength];
            long at = DataStart + entry.Begin;
            Fill(bytes, at, $"tensor \"{entry.Name}\"");
            Checksums?.Verify(entry, Crc64.Update(CheckpointChecksums.Start(entry.DType, entry.Shape), bytes), at);
            tensors.Add(TensorData.Wrap(entry.Name, entry.DType, entry.Shape, bytes));
        }
        return new Checkpoint(tensors, Header!.Metadata!.ToDictionary(StringComparer.Ordinal), Checksums is not null);
    }

    /// <summary>After <see cref="ReadLayout"/>: streams the data through the checksums without keeping it (the inspector's check).</summary>
    public void VerifyData()
    {
        if (Checksums is null)
        {
            return;
        }
        var buffer = new byte[64 * 1024];
        foreach (var entry in FileOrder!)
        {
            ulong state = CheckpointChecksums.Start(entry.DType, entry.Shape);
            long at = DataStart + entry.Begin;
            for (long done = 0; done < entry.ByteLength; done += buffer.Length)
            {
                var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, entry.ByteLength - done));
                Fill(chunk, at + done, $"tensor \"{entry.Name}\"");
                state = Crc64.Update(state, chunk);
            }
            Checksums.Verify(entry, state, at);
        }
    }

    private void ReadHeaderLength()
    {
        if (FileLength < CheckpointFormat.PrefixLength)
        {
            throw new CheckpointFormatException(Source, 0,
                $"the file is {FileLength} bytes long but a checkpoint starts with an 8-byte little-endian header length");
        }
        Span<byte> prefix = stackalloc byte[CheckpointFormat.PrefixLength];
        Fill(prefix, 0, "the header length");
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        long available = FileLength - CheckpointFormat.PrefixLength;
        string? problem =
            length < CheckpointFormat.MinHeaderLength ? $"the header length is {length} but the smallest header, {{}}, is 2 bytes"
            : length > CheckpointFormat.MaxHeaderLength ? $"the header length is {length} bytes, more than the limit of {CheckpointFormat.MaxHeaderLength}: this is not a checkpoint or its first 8 bytes are corrupt"
            : length > (ulong)available ? $"the header length is {length} bytes but only {available} bytes follow the 8-byte length: the file is truncated or the length is corrupt"
            : null;
        if (problem is not null)
        {
            throw new CheckpointFormatException(Source, 0, problem);
        }
        HeaderLength = (long)length;
    }

    private void CheckFormatMarker(IReadOnlyDictionary<string, string>? metadata)
    {
        string expected = $"\"{CheckpointFormat.FormatKey}\": \"{CheckpointFormat.FormatName}\" and \"{CheckpointFormat.VersionKey}\": \"{CheckpointFormat.Version}\"";
        string? problem =
            metadata is null ? $"the header has no {CheckpointFormat.MetadataKey}, so this is not a Convolve checkpoint (expected {expected})"
            : !metadata.TryGetValue(CheckpointFormat.FormatKey, out string? format) ? $"the metadata has no \"{CheckpointFormat.FormatKey}\", so this is not a Convolve checkpoint (expected {expected})"
            : format != CheckpointFormat.FormatName ? $"the metadata \"{CheckpointFormat.FormatKey}\" is \"{format}\" but a Convolve checkpoint has \"{CheckpointFormat.FormatName}\""
            : !metadata.TryGetValue(CheckpointFormat.VersionKey, out string? version) ? $"the metadata has no \"{CheckpointFormat.VersionKey}\" (expected {expected})"
            : version != CheckpointFormat.Version ? $"format_version \"{version}\" is not supported: this Convolve reads version {CheckpointFormat.Version} (a newer Convolve may read the file)"
            : null;
        if (problem is not null)
        {
            throw new CheckpointFormatException(Source, null, problem);
        }
    }

    private void Fill(Span<byte> buffer, long offset, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointFormatException(Source, offset,
                $"the file ended while reading {what}: it is shorter than the {FileLength} bytes it had when opened (was it changed while being read?)", e);
        }
    }
}
