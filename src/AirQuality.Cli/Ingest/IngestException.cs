namespace AirQuality.Cli.Ingest;

/// <summary>
/// A request that could not be completed. <see cref="Fatal"/> when going on cannot help (the host refused
/// the key, or is not an AirQuality host); otherwise the source or host stayed unavailable through every retry,
/// and a polling importer tries again on its next run.
/// </summary>
internal sealed class IngestException(string message, bool fatal) : Exception(message)
{
    public bool Fatal { get; } = fatal;
}
