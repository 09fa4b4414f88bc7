namespace AirQuality.Cli.Ingest;

/// <summary>
/// What the commands that talk to a host take from their surroundings: the clock every delay runs on,
/// the HTTP handler, the retry policy and how they are cancelled. The process uses <see cref="Default"/>;
/// tests pass a clock that skips ahead instead of waiting, and their own cancellation.
/// </summary>
internal sealed class IngestEnvironment
{
    /// <summary>The real clock and network; Ctrl+C (SIGINT) cancels.</summary>
    public static IngestEnvironment Default { get; } = new() { TrapCtrlC = true };

    /// <summary>Drives polling intervals, retry backoff, simulation pacing and the progress rate.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The handler under the one HttpClient; null makes a <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Attempts per request on 5xx, 408, 429 and network errors, the first one included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the first retry; it doubles with each further one (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whole-request timeout (send and receive); a timeout counts as a network error and is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Cancels the command as Ctrl+C would.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Whether Ctrl+C cancels the command (a second Ctrl+C ends the process as usual).</summary>
    public bool TrapCtrlC { get; init; }

    public HttpClient CreateHttpClient()
    {
        var handler = Handler ?? new SocketsHttpHandler
        {
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var http = new HttpClient(handler, disposeHandler: Handler is null) { Timeout = RequestTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("airq/1.0");
        return http;
    }

    /// <summary>A cancellation source tied to <see cref="Cancellation"/> and, when trapped, to Ctrl+C.</summary>
    public CtrlC Interruption() => new(TrapCtrlC, Cancellation);

    internal sealed class CtrlC : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly ConsoleCancelEventHandler? _handler;

        public CtrlC(bool trap, CancellationToken outer)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
            if (trap)
            {
                _handler = (_, e) =>
                {
                    // The first Ctrl+C stops the command cleanly (summary, exit code); a second one ends the process.
                    if (!_source.IsCancellationRequested)
                    {
                        e.Cancel = true;
                        _source.Cancel();
                    }
                };
                Console.CancelKeyPress += _handler;
            }
        }

        public CancellationToken Token => _source.Token;

        public void Dispose()
        {
            if (_handler is not null)
            {
                Console.CancelKeyPress -= _handler;
            }

            _source.Dispose();
        }
    }
}
