using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AirQuality.Host.Tests;

/// <summary>
/// Compressed bodies (gzip, deflate, br) on both ingest endpoints, with the limits on what they decompress to,
/// and bodies decoded in pieces (Ingest:PieceBytes small here) with their records numbered across the pieces.
/// </summary>
public sealed class IngestBodyTests() : HostTest(new HostFactory(HostFactory.NewDataDirectory(), new Dictionary<string, string> { ["Ingest:PieceBytes"] = "4096" }))
{
    private static string Minutes(int ago) => DateTimeOffset.UtcNow.AddMinutes(-ago).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static string Line(string id, int i) => $$$"""{"sensorId":"{{{id}}}","timestamp":"{{{Minutes(1 + i)}}}","values":{"pm25":{{{i % 80}}}.5,"pm10":{{{i % 40}}}}}""";

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Compressed_ndjson_is_decoded(string coding)
    {
        var id = NewId();
        var body = string.Join('\n', Enumerable.Range(1, 50).Select(i => Line(id, i)));

        var response = await Post("/api/v1/readings", Compress(Encoding.UTF8.GetBytes(body), coding), "application/x-ndjson", coding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(50, (await response.JsonAsync()).GetProperty("accepted").GetInt32());
        var view = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}");
        Assert.Equal("Online", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Gzip_array_is_decoded()
    {
        var id = NewId();
        var body = "[" + string.Join(',', Enumerable.Range(1, 30).Select(i => Line(id, i))) + "]";

        var response = await Post("/api/v1/readings", Compress(Encoding.UTF8.GetBytes(body), "gzip"), "application/json", "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(30, (await response.JsonAsync()).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Gzip_sensor_community_push_is_decoded()
    {
        var node = $"esp8266-{Guid.NewGuid():N}"[..24];
        var push = """{"software_version":"NRZ-2020-129","sensordatavalues":[{"value_type":"P1","value":"66.04"},{"value_type":"P2","value":"53.32"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/push-sensor-data/") { Content = Content(Compress(Encoding.UTF8.GetBytes(push), "gzip"), "application/json", "gzip") };
        request.Headers.Add("X-Sensor", node);
        request.Headers.Add("X-Pin", "1");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{node}:1");
        Assert.Contains(view.GetProperty("latest").EnumerateArray(), m => m.GetProperty("quantity").GetString() == "pm10" && m.GetProperty("value").GetDouble() == 66.04);
    }

    [Theory]
    [InlineData("/api/v1/readings")]
    [InlineData("/v1/push-sensor-data/")]
    public async Task A_gzip_bomb_gets_413_without_being_decompressed_whole(string path)
    {
        var response = await Post(path, GzipBomb.Value, "application/x-ndjson", "gzip");

        // Stopped by the decompression ratio on the canonical endpoint; a push is one record, held to a piece even compressed.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(path == "/api/v1/readings" ? "Ingest:MaxDecompressionRatio" : "larger than 4096 bytes", (await response.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/readings")]
    [InlineData("/v1/push-sensor-data/")]
    public async Task A_truncated_gzip_body_gets_400_saying_so(string path)
    {
        var whole = Compress(Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(1, 20).Select(i => Line(NewId(), i))) + "\n"), "gzip");

        var response = await Post(path, whole[..^6], "application/x-ndjson", "gzip");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("damaged or cut short", (await response.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_behind_a_gzip_header_gets_400()
    {
        byte[] garbage = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, .. Encoding.ASCII.GetBytes("this is not deflate data at all")];

        var response = await Post("/api/v1/readings", garbage, "application/x-ndjson", "gzip");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("gzip body is damaged", (await response.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/readings", "compress")]
    [InlineData("/v1/push-sensor-data/", "zstd")]
    [InlineData("/api/v1/readings", "gzip, br")]
    public async Task An_unknown_content_encoding_gets_415_naming_what_is_supported(string path, string coding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Content.Headers.TryAddWithoutValidation("Content-Encoding", coding);

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("gzip, deflate, br", (await response.JsonAsync()).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/x-ndjson")]
    [InlineData("application/json")]
    public async Task A_body_of_many_pieces_gets_one_answer_with_its_records_numbered_across_them(string contentType)
    {
        var id = NewId();
        var records = Enumerable.Range(1, 400)
            .Select(i => i is 37 or 250 or 399 ? $$$"""{"sensorId":"bad id!","timestamp":"{{{Minutes(1)}}}","values":{"pm25":1}}""" : Line(id, i))
            .ToList();
        var ndjson = contentType == "application/x-ndjson";
        var body = ndjson ? string.Join('\n', records) : "[" + string.Join(',', records) + "]";
        Assert.True(body.Length > 8 * 4096, "the body spans many pieces");

        var response = await Post("/api/v1/readings", Encoding.UTF8.GetBytes(body), contentType, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.JsonAsync();
        Assert.Equal((397, 3), (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("rejected").GetInt32()));
        var rejections = answer.GetProperty("rejections").EnumerateArray().ToList();
        Assert.Equal([37, 250, 399], rejections.Select(r => r.GetProperty("record").GetInt32()));
        if (ndjson)
        {
            Assert.Equal([37, 250, 399], rejections.Select(r => r.GetProperty("line").GetInt32()));
        }

        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/sensors/{id}");
        Assert.Equal("Online", history.GetProperty("status").GetString());
    }

    /// <summary>1 GiB of zeros as sixteen concatenated gzip members of 64 MiB (about 1 MB): made once, in well under a second.</summary>
    private static readonly Lazy<byte[]> GzipBomb = new(() =>
    {
        var member = new MemoryStream();
        using (var gzip = new GZipStream(member, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(zeros);
            }
        }

        var one = member.ToArray();
        return Enumerable.Repeat(one, 16).SelectMany(b => b).ToArray();
    });

    private static byte[] Compress(byte[] data, string coding)
    {
        var output = new MemoryStream();
        using (Stream compressor = coding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(coding)),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    private static ByteArrayContent Content(byte[] body, string contentType, string? coding)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (coding is not null)
        {
            content.Headers.ContentEncoding.Add(coding);
        }

        return content;
    }

    private async Task<HttpResponseMessage> Post(string path, byte[] body, string contentType, string? coding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Content(body, contentType, coding) };
        request.Headers.Add("X-Sensor", "esp8266-bodytest");
        request.Headers.Add("X-Pin", "1");
        return await Client.SendAsync(request);
    }

    private static string NewId() => $"body-{Guid.NewGuid():N}";
}
