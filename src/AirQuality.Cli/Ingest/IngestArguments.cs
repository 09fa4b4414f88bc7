using System.CommandLine;

namespace AirQuality.Cli.Ingest;

/// <summary>Where and how readings are posted, as given on the command line.</summary>
internal sealed record IngestTarget(Uri ReadingsUri, string? ApiKey, int BatchSize);

/// <summary>The options every sending command shares: --target, --api-key, --batch-size.</summary>
internal sealed class IngestArguments
{
    public const string ReadingsPath = "api/v1/readings";
    public const int DefaultBatchSize = 500;
    public const int MaxBatchSize = 100_000;

    public Option<string> Target { get; } = new("--target")
    {
        Description = $"Base URL of the AirQuality host, e.g. http://127.0.0.1:5080; readings are posted to <target>/{ReadingsPath}.",
        Required = true,
    };

    public Option<string> ApiKey { get; } = new("--api-key") { Description = "Sent as the X-Api-Key header, for hosts that require ingest keys." };

    public Option<int> BatchSize { get; } = new("--batch-size")
    {
        Description = $"Readings per request (default {DefaultBatchSize}); halved for the rest of the run when the host answers 413.",
        DefaultValueFactory = _ => DefaultBatchSize,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Target);
        command.Options.Add(ApiKey);
        command.Options.Add(BatchSize);
    }

    public IngestTarget Parse(ParseResult parsed)
    {
        var text = parsed.GetValue(Target)!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(target.Query) || !string.IsNullOrEmpty(target.Fragment))
        {
            throw new UsageException($"--target must be an http or https base URL like http://127.0.0.1:5080, got '{text}'");
        }

        var batchSize = parsed.GetValue(BatchSize);
        if (batchSize is < 1 or > MaxBatchSize)
        {
            throw new UsageException($"--batch-size must be between 1 and {MaxBatchSize}, got {batchSize}");
        }

        var apiKey = parsed.GetValue(ApiKey);
        if (apiKey is not null && (apiKey.Length == 0 || apiKey.Any(char.IsControl)))
        {
            throw new UsageException("--api-key must be a non-empty value without control characters");
        }

        // Keep a path prefix (a host behind a reverse proxy at /airq/): the readings path goes under it.
        var withSlash = target.AbsoluteUri.EndsWith('/') ? target : new Uri(target.AbsoluteUri + "/");
        return new IngestTarget(new Uri(withSlash, ReadingsPath), apiKey, batchSize);
    }
}
