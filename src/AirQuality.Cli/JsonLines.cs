using System.Text.Json;

namespace AirQuality.Cli;

/// <summary>Writes one compact JSON object per line to a stream (NDJSON), reusing one writer.</summary>
internal sealed class JsonLines : IDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Stream _output;
    private readonly Utf8JsonWriter _writer;

    public JsonLines(Stream output)
    {
        _output = output;
        _writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void Write(Action<Utf8JsonWriter> writeObject)
    {
        writeObject(_writer);
        _writer.Flush();
        _writer.Reset();
        _output.Write(NewLine);
    }

    public void WriteError(string message, int? line = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", message);
        if (line is { } l)
        {
            w.WriteNumber("line", l);
        }

        w.WriteEndObject();
    });

    public void Dispose()
    {
        _writer.Dispose();
        _output.Flush();
    }
}
