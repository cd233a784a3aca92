namespace Convolve.Tests.Serialization;

/// <summary>Passes writes through until <c>failAt</c> bytes have been written, then throws, as a full disk would.</summary>
internal sealed class FailingStream(Stream inner, long failAt, bool failOnFlush = false) : Stream
{
    private long written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        long allowed = Math.Max(0, Math.Min(buffer.Length, failAt - written));
        inner.Write(buffer[..(int)allowed]);
        written += allowed;
        if (allowed < buffer.Length)
        {
            throw new IOException($"injected failure after {written} bytes");
        }
    }

    public override void Flush()
    {
        if (failOnFlush)
        {
            throw new IOException("injected failure on flush");
        }
        inner.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
