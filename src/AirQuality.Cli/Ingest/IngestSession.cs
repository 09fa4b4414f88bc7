namespace AirQuality.Cli.Ingest;

/// <summary>
/// One run of a sending command: the one HttpClient, the client, the progress, Ctrl+C; and how the run ends:
/// the summary line always, then exit 0, exit 2 with the reason as the last line, or 130 when interrupted.
/// </summary>
internal sealed class IngestSession : IDisposable
{
    /// <summary>Exit code after Ctrl+C, as shells report a SIGINT.</summary>
    public const int Interrupted = 130;

    private readonly HttpClient _http;
    private readonly IngestEnvironment.CtrlC _interruption;

    public IngestSession(CliConsole console, IngestEnvironment environment, IngestTarget target)
    {
        Environment = environment;
        Error = console.Error;
        Progress = new IngestProgress(console.Error, environment.Time);
        _http = environment.CreateHttpClient();
        Client = new IngestClient(_http, target, environment, Progress);
        _interruption = environment.Interruption();
    }

    public IngestEnvironment Environment { get; }

    public TimeProvider Time => Environment.Time;

    public TextWriter Error { get; }

    public IngestProgress Progress { get; }

    public IngestClient Client { get; }

    public CancellationToken Cancellation => _interruption.Token;

    /// <summary>
    /// Runs <paramref name="body"/>, which returns null on success or the reason the command failed; a
    /// failed request ends it too. Prints the summary, then returns the exit code or throws the failure as a
    /// <see cref="UsageException"/> (exit 2, reason last on stderr).
    /// </summary>
    public int Run(string verb, Func<CancellationToken, Task<string?>> body, Func<string?>? extra = null)
    {
        string? failure;
        var exit = ExitCodes.Success;
        try
        {
            failure = body(Cancellation).GetAwaiter().GetResult();
        }
        catch (IngestException e)
        {
            failure = e.Message;
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            failure = null;
            exit = Interrupted;
            verb = "interrupted";
        }

        Error.WriteLine(Progress.Summary(verb, extra?.Invoke()));
        return failure is null ? exit : throw new UsageException(failure);
    }

    public void Dispose()
    {
        _interruption.Dispose();
        _http.Dispose();
    }
}
