using System.CommandLine;
using AirQuality.Cli.Ingest;

namespace AirQuality.Cli.Commands;

/// <summary>`airq import`: the importers, one subcommand per source.</summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console, IngestEnvironment environment) =>
        new("import", "Import readings from Sensor.Community into an AirQuality host (POST /api/v1/readings).")
        {
            ImportSensorCommunityCommand.Create(console, environment),
            ImportCsvCommand.Create(console, environment),
        };
}
