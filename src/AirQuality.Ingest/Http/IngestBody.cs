using System.IO.Compression;

namespace AirQuality.Ingest.Http;

/// <summary>A body over a limit (413): too large as sent, decompressed, or decompressing too far for its size.</summary>
public sealed class BodyTooLargeException(string message) : Exception(message);

/// <summary>
/// The request body as a stream of the bytes the decoders read: decompressed per Content-Encoding (gzip, deflate
/// as zlib, br), with the size as sent and as decompressed, and the ratio between them, checked as it streams, so a
/// bomb is stopped after MaxBodyBytes of output without ever being held.
/// </summary>
public static class IngestBody
{
    public const string Supported = "gzip, deflate, br or identity";

    /// <summary>Below this much output the ratio is not checked: small bodies of repeated readings compress very well.</summary>
    private const long RatioCheckedFrom = 1024 * 1024;

    /// <summary>
    /// Truncated deflate/gzip/brotli input ends quietly unless this runtime switch is on; with it, a body cut short is
    /// an InvalidDataException like any other damage (400). Set before the first compression stream is made.
    /// </summary>
    public static void RequireCompleteCompressedStreams() =>
        AppContext.SetSwitch("System.IO.Compression.UseStrictValidation", true);

    /// <summary>The coding of a Content-Encoding header; false for one this host does not decode (415).</summary>
    public static bool TryParseEncoding(string? header, out string? coding)
    {
        coding = header?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(coding) || coding == "identity")
        {
            coding = null;
            return true;
        }

        return coding is "gzip" or "x-gzip" or "deflate" or "br";
    }

    /// <summary>The stream to decode, with every limit applied; dispose it when done.</summary>
    public static Stream Open(Stream body, string? coding, long maxBytes, int maxRatio)
    {
        var sent = new CountingStream(body, maxBytes, null, 0, $"the body is larger than {maxBytes} bytes");
        if (coding is null)
        {
            return sent;
        }

        Stream decompressed = coding switch
        {
            "deflate" => new ZLibStream(sent, CompressionMode.Decompress),
            "br" => new BrotliStream(sent, CompressionMode.Decompress),
            _ => new GZipStream(sent, CompressionMode.Decompress),
        };
        return new CountingStream(decompressed, maxBytes, sent, maxRatio, $"the decompressed body is larger than {maxBytes} bytes (Ingest:MaxBodyBytes)");
    }

    /// <summary>Counts what is read through it and fails the read that goes over the limit (or the ratio to <c>compressed</c>).</summary>
    private sealed class CountingStream(Stream inner, long limit, CountingStream? compressed, int maxRatio, string overLimit) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && compressed is not null)
            {
                // The decompressor (and through it the counter of the body as sent); the request body itself is Kestrel's.
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            BytesRead += read;
            if (BytesRead > limit)
            {
                throw new BodyTooLargeException(overLimit);
            }

            if (compressed is not null && BytesRead > RatioCheckedFrom && BytesRead > maxRatio * Math.Max(1, compressed.BytesRead))
            {
                throw new BodyTooLargeException($"the body decompresses to more than {maxRatio} times its compressed size (Ingest:MaxDecompressionRatio)");
            }

            return read;
        }
    }
}
