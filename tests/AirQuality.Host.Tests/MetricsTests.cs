using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Host.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Ingest_counts_accepted_readings_and_rejected_records_on_its_meter()
    {
        await using var host = new HostFactory(HostFactory.NewDataDirectory());
        using var client = host.CreateClient();

        // Listeners see every meter in the process; other tests' hosts run in parallel, so only this
        // host's instruments (created by its own meter factory) are counted.
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        long accepted = 0, rejected = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AirQuality.Ingest.Pipeline.IngestMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "airq.ingest.readings.accepted")
            {
                Interlocked.Add(ref accepted, value);
            }
            else if (instrument.Name == "airq.ingest.records.rejected")
            {
                Interlocked.Add(ref rejected, value);
            }
        });
        listener.Start();

        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var response = await client.PostNdjsonAsync([ReadingPosts.Line("metrics-1", now, 3), ReadingPosts.Line("metrics-2", now, 4), "garbage"]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(2, Interlocked.Read(ref accepted));
        Assert.Equal(1, Interlocked.Read(ref rejected));
    }

    [Fact]
    public async Task A_sensor_never_heard_of_answers_never_seen()
    {
        await using var host = new HostFactory(HostFactory.NewDataDirectory());
        using var client = host.CreateClient();
        var view = JsonDocument.Parse(await client.GetStringAsync("/api/v1/sensors/nobody-here")).RootElement;
        Assert.Equal("NeverSeen", view.GetProperty("status").GetString());
        Assert.Empty(view.GetProperty("latest").EnumerateArray());
    }
}
