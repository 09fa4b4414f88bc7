using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AirQuality.Domain.Decoding.Internal;
using static AirQuality.Domain.Decoding.Internal.JsonRecords;

namespace AirQuality.Domain.Decoding;

public sealed partial class CanonicalJsonDecoder
{
    /// <summary>Smallest piece <see cref="DecodePiecesAsync"/> works with.</summary>
    public const int MinPieceBytes = 64;

    /// <summary>
    /// Decodes a body as it streams in, one piece of at most <paramref name="pieceBytes"/> bytes at a time, so that
    /// memory is bounded by the piece and not by the body. Each result holds the readings and rejections of one
    /// piece; records and lines are numbered across the whole body, and together the results say what
    /// <see cref="Decode"/> says of the same bytes, except that a record (NDJSON line, array element, or the single
    /// object) larger than a piece is rejected: an NDJSON line on its own, an array element with the rest of the array.
    /// </summary>
    /// <param name="utf8">The body. Its exceptions (a damaged compressed stream, a client gone) come out of the enumeration.</param>
    /// <param name="layout">Json or Ndjson; Auto needs the whole body and is not supported here.</param>
    /// <param name="pieceBytes">The most bytes decoded at once, at least <see cref="MinPieceBytes"/>.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public async IAsyncEnumerable<DecodeResult> DecodePiecesAsync(
        Stream utf8, CanonicalLayout layout, int pieceBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceBytes, MinPieceBytes);
        if (layout == CanonicalLayout.Auto)
        {
            throw new ArgumentException("a streamed body needs its layout (Json or Ndjson)", nameof(layout));
        }

        var pieces = new PieceDecoder(new DecodeSession(_validator), layout, pieceBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(pieceBytes);
        try
        {
            var filled = 0;
            var end = false;
            while (!pieces.Done)
            {
                while (filled < pieceBytes && !end)
                {
                    var read = await utf8.ReadAsync(buffer.AsMemory(filled, pieceBytes - filled), cancellationToken).ConfigureAwait(false);
                    end = read == 0;
                    filled += read;
                }

                var consumed = pieces.Decode(buffer.AsSpan(0, filled), end);
                if (consumed == 0 && filled == pieceBytes)
                {
                    consumed = pieces.RecordTooLarge(filled);
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                var result = pieces.TakeResult();
                if (result.RecordCount > 0 || result.Rejections.Count > 0)
                {
                    yield return result;
                }

                if (end)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The decoding state that lives from one piece of a body to the next: the JSON reader's state at the last
    /// complete record, record and line numbers, and where the piece starts in the body (for error positions).
    /// </summary>
    private sealed class PieceDecoder(DecodeSession session, CanonicalLayout layout, int pieceBytes)
    {
        private enum Phase
        {
            Start,
            InArray,
            AfterValue,
            Done,
        }

        private Phase _phase = Phase.Start;
        private JsonReaderState _state = new(Options);
        private bool _first = true;
        private bool _skippingLine;
        private int _records;
        private long _lineNumber;

        // Where the current piece starts in the body, the number of newlines before it and where the last of them ended:
        // the reader reports errors as line and column of the whole body, and the answer says a byte offset.
        private long _pieceStart;
        private long _lines;
        private long _lineStart;

        public bool Done => _phase == Phase.Done;

        public DecodeResult TakeResult() => session.TakeResult();

        /// <summary>Decodes the complete records at the start of <paramref name="piece"/>; returns the bytes it is done with.</summary>
        public int Decode(ReadOnlySpan<byte> piece, bool final)
        {
            var skipped = 0;
            if (_first)
            {
                if (piece.Length < Utf8Bom.Length && !final)
                {
                    return 0;
                }

                _first = false;
                _ = SkipBom(piece, out skipped);
                _pieceStart = _lineStart = skipped;
            }

            var consumed = layout == CanonicalLayout.Ndjson ? DecodeLines(piece[skipped..], final) : DecodeJson(piece[skipped..], final);
            return skipped + consumed;
        }

        /// <summary>The piece is full and holds no complete record: reject that record, and returns the bytes to drop.</summary>
        public int RecordTooLarge(int bytes)
        {
            if (layout == CanonicalLayout.Ndjson)
            {
                // The line is dropped up to its newline, wherever that is; the next line is read as usual.
                _records++;
                _lineNumber++;
                session.RejectRest(_records, _lineNumber, $"line is longer than {pieceBytes} bytes, the most one record may have");
                _skippingLine = true;
            }
            else
            {
                session.RejectRest(_records + 1, null, $"{(_phase == Phase.InArray ? "array element" : "JSON value")} is larger than {pieceBytes} bytes, the most one record may have; the rest of the body was not read");
                _phase = Phase.Done;
            }

            Advance(bytes);
            return bytes;
        }

        private int DecodeLines(ReadOnlySpan<byte> piece, bool final)
        {
            var position = 0;
            if (_skippingLine)
            {
                var newline = piece.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    Advance(piece.Length);
                    return piece.Length;
                }

                _skippingLine = false;
                position = newline + 1;
            }

            while (position < piece.Length)
            {
                var rest = piece[position..];
                var newline = rest.IndexOf((byte)'\n');
                if (newline < 0 && !final)
                {
                    break;
                }

                var line = newline < 0 ? rest : rest[..newline];
                var lineOffset = _pieceStart + position;
                position += newline < 0 ? rest.Length : newline + 1;
                _lineNumber++;
                if (IsBlank(line))
                {
                    continue;
                }

                _records++;
                DecodeLine(line, lineOffset, session, _records, _lineNumber);
            }

            if (final)
            {
                if (_records == 0)
                {
                    session.RejectWholeInput("empty body");
                }

                _phase = Phase.Done;
            }

            _pieceStart += position;
            return position;
        }

        private int DecodeJson(ReadOnlySpan<byte> piece, bool final)
        {
            if (_phase == Phase.Start && IsBlank(piece))
            {
                // Nothing yet but white space (the reader would call an empty final block an error).
                if (final)
                {
                    session.RejectWholeInput("empty body");
                }

                return Commit(final ? Phase.Done : Phase.Start, piece.Length, _state, piece);
            }

            var reader = new Utf8JsonReader(piece, final, _state);
            var phase = _phase;

            // The last point where a record was complete: on running out of data, the next piece starts there.
            var safe = 0;
            var safeState = _state;
            try
            {
                if (phase == Phase.Start)
                {
                    if (!reader.Read())
                    {
                        // A value begun but not ended in this piece (a number, a string).
                        return Commit(phase, 0, _state, piece);
                    }

                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        phase = Phase.InArray;
                        safe = (int)reader.BytesConsumed;
                        safeState = reader.CurrentState;
                    }
                    else
                    {
                        ReadElement(ref reader, session, default(RecordReader), 1, null, "body must be a JSON array or object");
                        session.EndRecord();
                        _records = 1;
                        phase = Phase.AfterValue;
                        safe = (int)reader.BytesConsumed;
                        safeState = reader.CurrentState;
                    }
                }

                while (phase == Phase.InArray)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        phase = Phase.AfterValue;
                    }
                    else
                    {
                        ReadElement(ref reader, session, default(RecordReader), _records + 1, null, "array element must be a JSON object");
                        session.EndRecord();
                        _records++;
                    }

                    safe = (int)reader.BytesConsumed;
                    safeState = reader.CurrentState;
                }

                if (phase == Phase.AfterValue)
                {
                    // Throws on anything but white space after the top-level value.
                    _ = reader.Read();
                    safe = (int)reader.BytesConsumed;
                    safeState = reader.CurrentState;
                    if (final)
                    {
                        phase = Phase.Done;
                    }
                }
            }
            catch (MoreDataNeededException)
            {
                // The record that did not end in this piece is read again, whole, with the next one.
            }
            catch (JsonException ex)
            {
                session.RejectRest(_records + 1, null, MalformedReasonAt(ex, PositionOf(ex, piece)));
                phase = Phase.Done;
                safe = piece.Length;
            }

            return Commit(phase, safe, safeState, piece);
        }

        private int Commit(Phase phase, int safe, JsonReaderState state, ReadOnlySpan<byte> piece)
        {
            _phase = phase;
            _state = state;
            var done = piece[..safe];
            var newlines = done.Count((byte)'\n');
            if (newlines > 0)
            {
                _lines += newlines;
                _lineStart = _pieceStart + done.LastIndexOf((byte)'\n') + 1;
            }

            _pieceStart += safe;
            return safe;
        }

        private void Advance(int bytes) => _pieceStart += bytes;

        /// <summary>The byte offset in the body of a syntax error in <paramref name="piece"/>.</summary>
        private long PositionOf(JsonException ex, ReadOnlySpan<byte> piece)
        {
            if (ex.LineNumber is not { } line || ex.BytePositionInLine is not { } column)
            {
                // Ran out of input inside a value: the error is at the end of what there is.
                return _pieceStart + piece.TrimEnd(JsonWhiteSpace).Length;
            }

            var lineStart = _lineStart;
            var at = 0;
            for (var l = _lines; l < line; l++)
            {
                var newline = piece[at..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                at += newline + 1;
                lineStart = _pieceStart + at;
            }

            return lineStart + column;
        }
    }
}
