using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AirQuality.Testing;

/// <summary>A logger provider that keeps what the host logs (after the host's own level filters), for tests to inspect.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Clear() => _entries.Clear();

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        /// <summary>The exception and every exception inside it (inner and aggregated).</summary>
        public IEnumerable<Exception> Exceptions()
        {
            var pending = new Stack<Exception>();
            if (Exception is not null)
            {
                pending.Push(Exception);
            }

            while (pending.TryPop(out var e))
            {
                yield return e;
                foreach (var inner in e is AggregateException aggregate ? aggregate.InnerExceptions : e.InnerException is { } one ? [one] : [])
                {
                    pending.Push(inner);
                }
            }
        }

        /// <summary>The characters this entry puts in a log: message and exception with its stack trace.</summary>
        public int Size => Message.Length + (Exception?.ToString().Length ?? 0);

        public override string ToString() => $"{Level} {Category}: {Message} {Exception}";
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
