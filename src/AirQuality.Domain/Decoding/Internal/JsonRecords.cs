using System.Text.Json;

namespace AirQuality.Domain.Decoding.Internal;

/// <summary>Reads one record object; the reader is on its StartObject and must be left on its EndObject.</summary>
internal interface IJsonRecordReader
{
    void ReadRecord(ref Utf8JsonReader reader, DecodeSession session);
}

/// <summary>The JSON plumbing the decoders share: the array driver, token names, unescaping and syntax-error reasons.</summary>
internal static class JsonRecords
{
    /// <summary>Default limits (depth 64, no comments, no trailing commas): input is untrusted and strict is safer.</summary>
    public static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static ReadOnlySpan<byte> JsonWhiteSpace => " \t\r\n"u8;

    /// <summary>The body without a UTF-8 byte-order mark; <paramref name="offset"/> is where it starts in the input.</summary>
    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> body, out int offset)
    {
        offset = body.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        return body[offset..];
    }

    /// <summary>
    /// The body without a byte-order mark and without surrounding JSON white space; <paramref name="offset"/>
    /// is where it starts in the input, so that error positions count from the input's first byte.
    /// </summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> body, out int offset)
    {
        body = SkipBom(body, out offset);
        var start = body.IndexOfAnyExcept(JsonWhiteSpace);
        if (start < 0)
        {
            return [];
        }

        offset += start;
        return body[start..].TrimEnd(JsonWhiteSpace);
    }

    public static bool IsBlank(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(JsonWhiteSpace) < 0;

    /// <summary>
    /// Decodes a JSON array of records, or a single record object, into <paramref name="session"/>.
    /// Each element is its own record: a bad element is rejected and the next one read. A syntax error
    /// ends the reading, because the structure after it cannot be trusted: every element read
    /// completely before it is kept, and one rejection covers the rest, numbered as the element where it broke.
    /// </summary>
    /// <param name="body">Trimmed, non-empty JSON.</param>
    /// <param name="offset">Where <paramref name="body"/> starts in the input, for error positions.</param>
    /// <param name="session">Receives the readings and rejections.</param>
    /// <param name="records">Reads one record object.</param>
    public static void DecodeArrayOrObject<T>(ReadOnlySpan<byte> body, int offset, DecodeSession session, T records)
        where T : IJsonRecordReader
    {
        var reader = new Utf8JsonReader(body, Options);
        var completed = 0;
        try
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (true)
                {
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        break;
                    }

                    ReadElement(ref reader, session, records, completed + 1, null, "array element must be a JSON object");
                    session.EndRecord();
                    completed++;
                }
            }
            else
            {
                ReadElement(ref reader, session, records, 1, null, "body must be a JSON array or object");
                session.EndRecord();
                completed++;
            }

            // Throws on anything but white space after the top-level value.
            _ = reader.Read();
        }
        catch (JsonException ex)
        {
            session.RejectRest(completed + 1, null, MalformedReason(ex, body, offset));
        }
    }

    /// <summary>
    /// Begins a record and reads the value the reader is on into it: an object, or anything else rejected
    /// and skipped. The caller ends the record, after checking what follows if it needs to.
    /// </summary>
    public static void ReadElement<T>(ref Utf8JsonReader reader, DecodeSession session, T records, int record, long? line, string mustBe)
        where T : IJsonRecordReader
    {
        session.BeginRecord(record, line);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            records.ReadRecord(ref reader, session);
        }
        else
        {
            session.FailRecord($"{mustBe}, got {TokenName(reader.TokenType)}");
            SkipValue(ref reader);
        }
    }

    /// <summary>
    /// Reads the next token; running out of input inside a value is a syntax error, or, when more input is to
    /// follow (a body decoded piece by piece), <see cref="MoreDataNeededException"/>.
    /// </summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw reader.IsFinalBlock ? new JsonException("unexpected end of data") : new MoreDataNeededException();
        }
    }

    /// <summary><see cref="Utf8JsonReader.Skip"/> that also works on a piece of a body, where the value may end in the next piece.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new MoreDataNeededException();
        }
    }

    /// <summary>
    /// Notes that the object being read has the known key <paramref name="bit"/>. The second time, fails the record
    /// naming the key (which of two values the sender meant cannot be known, and parsers disagree on which wins),
    /// skips the value and returns false.
    /// </summary>
    public static bool FirstTime(ref Utf8JsonReader reader, ref int seen, int bit, DecodeSession session, string key, string? within = null)
    {
        if ((seen & bit) == 0)
        {
            seen |= bit;
            return true;
        }

        session.DuplicateKey(key, within);
        Next(ref reader);
        SkipValue(ref reader);
        return false;
    }

    /// <summary>Moves from a property name to its value.</summary>
    public static JsonTokenType ValueOf(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType;
    }

    /// <summary>
    /// The text of the string or property name the reader is on, unescaped. Unescaped text (nearly all
    /// of it) is a slice of the input; escaped text is copied. False when the escapes do not make valid UTF-8.
    /// </summary>
    public static bool TryGetText(scoped ref Utf8JsonReader reader, out ReadOnlySpan<byte> text)
    {
        if (!reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
            return true;
        }

        var buffer = new byte[reader.ValueSpan.Length];
        try
        {
            var written = reader.CopyString(buffer);
            text = buffer.AsSpan(0, written);
            return true;
        }
        catch (InvalidOperationException)
        {
            text = default;
            return false;
        }
    }

    public static string TokenName(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => token.ToString(),
    };

    /// <summary>
    /// "malformed JSON at byte N: what the reader said", N counted from the start of the body
    /// (<paramref name="offset"/> is where <paramref name="json"/> starts in it).
    /// </summary>
    public static string MalformedReason(JsonException ex, ReadOnlySpan<byte> json, long offset) =>
        MalformedReasonAt(ex, offset + AbsolutePosition(ex, json));

    /// <summary>"malformed JSON at byte N: what the reader said", for a position the caller worked out.</summary>
    public static string MalformedReasonAt(JsonException ex, long position)
    {
        var message = ex.Message;
        // The reader appends " LineNumber: 0 | BytePositionInLine: 14." — the byte offset says it better.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return $"malformed JSON at byte {position}: {message.TrimEnd()}";
    }

    private static long AbsolutePosition(JsonException ex, ReadOnlySpan<byte> json)
    {
        if (ex.LineNumber is not { } lineNumber || ex.BytePositionInLine is not { } inLine)
        {
            return json.Length;
        }

        long lineStart = 0;
        for (long line = 0; line < lineNumber; line++)
        {
            var next = json[(int)lineStart..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            lineStart += next + 1;
        }

        return lineStart + inLine;
    }
}

/// <summary>
/// The piece of the body being decoded ends inside a record: the caller keeps that record's bytes and decodes it
/// again with the next piece. Not a <see cref="JsonException"/>, so no syntax-error handler takes it for one.
/// </summary>
#pragma warning disable CA1064 // Internal control flow between the decoder's own methods, never seen outside.
internal sealed class MoreDataNeededException : Exception
#pragma warning restore CA1064
{
}
