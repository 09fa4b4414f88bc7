using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AirQuality.Gateway.Tests;

/// <summary>Keeps every log entry a host writes (level, category, message and exception text), for tests about what gets logged.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    public void Clear() => _entries.Clear();

    public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, string? Exception)
    {
        /// <summary>The characters this entry puts in a log: message and exception with its stack trace.</summary>
        public int Size => Message.Length + (Exception?.Length ?? 0);
    }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception?.ToString()));
    }
}
