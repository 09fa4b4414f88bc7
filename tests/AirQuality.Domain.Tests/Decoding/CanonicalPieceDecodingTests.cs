using System.Text;
using AirQuality.Domain.Decoding;
using static AirQuality.Domain.Tests.Decoding.DecodingAssert;

namespace AirQuality.Domain.Tests.Decoding;

/// <summary>
/// A body decoded piece by piece says what the whole body decoded at once says (same readings, same rejections
/// with the same record, line and byte numbers), whatever the piece size, as long as each record fits in a piece.
/// </summary>
public sealed class CanonicalPieceDecodingTests
{
    private readonly CanonicalJsonDecoder _decoder = new(Validator);

    private static string Record(int i, string sensor = "dd-001") =>
        $$$"""{"sensorId":"{{{sensor}}}-{{{i % 7}}}","timestamp":"2026-11-23T0{{{8 + (i % 2)}}}:{{{i % 60:00}}}:00Z","values":{"pm25":{{{i % 90}}}.5,"pm10":{{{i % 50}}}},"location":{"latitude":51.{{{i}}},"longitude":13.7}}""";

    private static IEnumerable<string> Records(int count, Func<int, string?>? bad = null) =>
        Enumerable.Range(1, count).Select(i => bad?.Invoke(i) ?? Record(i));

    private static string Bad(int i) => (i % 13) switch
    {
        0 => """{"sensorId":"bad id!","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""",
        5 => """{"sensorId":"dd-x","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":-4,"pm10":"x"}}""",
        9 => """{"sensorId":"dd-y","sensorId":"dd-z","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1}}""",
        11 => "[1,2,3]",
        _ => null,
    } ?? Record(i);

    public static TheoryData<string, string, CanonicalLayout> Bodies()
    {
        var data = new TheoryData<string, string, CanonicalLayout>();
        void Add(string name, string body, CanonicalLayout layout) => data.Add(name, body, layout);
        Add("ndjson", string.Join('\n', Records(120)), CanonicalLayout.Ndjson);
        Add("ndjson with bad lines, blank lines, CRLF and a BOM", "\uFEFF" + string.Join("\r\n", Records(150, i => i % 17 == 0 ? "" : i % 23 == 0 ? "{not json" : Bad(i))) + "\n\n", CanonicalLayout.Ndjson);
        Add("ndjson ending without a newline in a broken line", string.Join('\n', Records(60)) + "\n{\"sensorId\":\"a\",\"time", CanonicalLayout.Ndjson);
        Add("array", "[" + string.Join(',', Records(120)) + "]", CanonicalLayout.Json);
        Add("pretty array with bad elements", "[\n  " + string.Join(",\n  ", Records(150, Bad)) + "\n]\n", CanonicalLayout.Json);
        Add("array broken in the middle", "[" + string.Join(',', Records(80)) + ",{\"sensorId\":\"a\"," + string.Join(',', Records(10)) + "]", CanonicalLayout.Json);
        Add("array broken on a later line", "[\n" + string.Join(",\n", Records(80)) + ",\n  {\"sensorId\" \"a\"}]", CanonicalLayout.Json);
        Add("array cut short", "[" + string.Join(',', Records(70)) + ",{\"sensorId\":\"a\",\"values\":{\"pm25\":1", CanonicalLayout.Json);
        Add("array with garbage after it", "[" + string.Join(',', Records(40)) + "] x", CanonicalLayout.Json);
        Add("array with escapes", "[" + string.Join(',', Records(40).Select(r => r.Replace("sensorId", "sensor\\u0049d", StringComparison.Ordinal))) + "]", CanonicalLayout.Json);
        Add("single object", Record(1), CanonicalLayout.Json);
        Add("not an object", "  42  ", CanonicalLayout.Json);
        Add("garbage", "garbage", CanonicalLayout.Json);
        Add("empty json", " \n ", CanonicalLayout.Json);
        Add("empty ndjson", "\n\n", CanonicalLayout.Ndjson);
        Add("empty array", "[]", CanonicalLayout.Json);
        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Pieces_say_what_the_whole_body_says(string name, string body, CanonicalLayout layout)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var whole = _decoder.Decode(bytes, layout);
        foreach (var pieceBytes in new[] { 400, 512, 1000, 4096, Math.Max(CanonicalJsonDecoder.MinPieceBytes, bytes.Length + 10) })
        {
            var pieces = await DecodeInPieces(bytes, layout, pieceBytes);

            Assert.Equal((name, pieceBytes, whole.RecordCount), (name, pieceBytes, pieces.Sum(p => p.RecordCount)));
            Assert.Equal(whole.Rejections, pieces.SelectMany(p => p.Rejections));
            var readings = pieces.SelectMany(p => p.Readings).ToList();
            Assert.Equal(whole.Readings.Count, readings.Count);
            for (var i = 0; i < readings.Count; i++)
            {
                SameReading(whole.Readings[i], readings[i]);
            }
        }
    }

    [Fact]
    public async Task A_big_body_comes_in_several_pieces_numbered_across_them()
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', Records(2000, i => i % 500 == 0 ? "{broken" : null)));

        var pieces = await DecodeInPieces(body, CanonicalLayout.Ndjson, 16 * 1024);

        Assert.True(pieces.Count > 5, $"{pieces.Count} pieces");
        Assert.All(pieces, p => Assert.True(p.RecordCount < 200, "a piece holds about 16 KiB of records"));
        Assert.Equal(1996, pieces.Sum(p => p.Readings.Count));
        var rejections = pieces.SelectMany(p => p.Rejections).ToList();
        Assert.Equal([500, 1000, 1500, 2000], rejections.Select(r => r.Record));
        Assert.Equal([500L, 1000, 1500, 2000], rejections.Select(r => r.Line ?? 0));
    }

    [Fact]
    public async Task An_ndjson_line_longer_than_a_piece_is_rejected_alone()
    {
        var huge = $$"""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"note":"{{new string('x', 5000)}}"}""";
        var body = Encoding.UTF8.GetBytes(string.Join('\n', [Record(1), Record(2), huge, Record(3)]));

        var pieces = await DecodeInPieces(body, CanonicalLayout.Ndjson, 1024);

        Assert.Equal(3, pieces.Sum(p => p.Readings.Count));
        var rejection = Assert.Single(pieces.SelectMany(p => p.Rejections));
        Assert.Equal((3, 3L), (rejection.Record, rejection.Line ?? 0));
        Assert.Contains("longer than 1024 bytes", rejection.Reason, StringComparison.Ordinal);
        Assert.Equal(4, pieces.Sum(p => p.RecordCount));
    }

    [Fact]
    public async Task An_array_element_larger_than_a_piece_ends_the_reading_with_one_rejection()
    {
        var huge = $$"""{"sensorId":"dd-001","timestamp":"2026-11-23T10:00:00Z","values":{"pm25":1},"note":"{{new string('x', 5000)}}"}""";
        var body = Encoding.UTF8.GetBytes($"[{Record(1)},{Record(2)},{huge},{Record(3)}]");

        var pieces = await DecodeInPieces(body, CanonicalLayout.Json, 1024);

        Assert.Equal(2, pieces.Sum(p => p.Readings.Count));
        var rejection = Assert.Single(pieces.SelectMany(p => p.Rejections));
        Assert.Equal(3, rejection.Record);
        Assert.Contains("larger than 1024 bytes", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_stream_fails_the_enumeration_after_the_pieces_before_it()
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', Records(400)));
        await using var stream = new FailingAfter(body, 20_000);

        var seen = 0;
        var failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var piece in _decoder.DecodePiecesAsync(stream, CanonicalLayout.Ndjson, 8192))
            {
                seen += piece.Readings.Count;
            }
        });

        Assert.Equal("gone", failure.Message);
        Assert.InRange(seen, 1, 399);
    }

    private async Task<List<DecodeResult>> DecodeInPieces(byte[] body, CanonicalLayout layout, int pieceBytes)
    {
        var pieces = new List<DecodeResult>();
        await using var stream = new MemoryStream(body);
        await foreach (var piece in _decoder.DecodePiecesAsync(stream, layout, pieceBytes))
        {
            pieces.Add(piece.WellFormed());
        }

        return pieces;
    }

    /// <summary>A body whose sender goes away after <c>limit</c> bytes.</summary>
    private sealed class FailingAfter(byte[] body, int limit) : MemoryStream(body)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= limit ? throw new IOException("gone") : base.ReadAsync(buffer[..Math.Min(buffer.Length, limit - (int)Position)], cancellationToken);
    }
}
