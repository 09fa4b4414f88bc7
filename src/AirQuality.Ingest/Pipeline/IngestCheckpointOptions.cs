namespace AirQuality.Ingest.Pipeline;

/// <summary>How often the <see cref="IngestCheckpointer"/> moves the ingest log's checkpoint (configuration section "IngestLog").</summary>
public sealed class IngestCheckpointOptions
{
    public const string Section = "IngestLog";

    /// <summary>
    /// How often the checkpoint moves: each round has every sensor that took readings since the last one write
    /// its state, then lets the log forget those readings. A crash replays at most about this much ingest at the
    /// next start. Default 10 s: longer than the sensors' own write-behind (5 s, stretched by up to half), so a
    /// round mostly finds them written already and costs a call each, not a second write. At 5 s the rounds
    /// doubled the state writes and cut HTTP ingest by about a third (BENCHMARKS.md).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Problems()
    {
        if (CheckpointInterval < TimeSpan.FromMilliseconds(100) || CheckpointInterval > TimeSpan.FromMinutes(10))
        {
            yield return "IngestLog:CheckpointInterval must be 100 ms-10 min";
        }
    }
}
