using System.Globalization;

namespace AirQuality.Cli.Ingest;

/// <summary>
/// Totals of one command's sending, a progress line on stderr at most once a second, and the closing
/// summary. Rejection lines are capped per input (a file, a poll) so one bad source cannot flood stderr.
/// </summary>
internal sealed class IngestProgress
{
    /// <summary>Rejection lines shown per input; the rest are counted.</summary>
    public const int MaxRejectionLines = 100;

    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(1);

    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly long _started;
    private long _lastReport;
    private long _sentAtLastReport;
    private int _rejectionLines;
    private long _hiddenRejectionLines;

    public IngestProgress(TextWriter error, TimeProvider time)
    {
        _error = error;
        _time = time;
        _started = time.GetTimestamp();
        _lastReport = _started;
    }

    /// <summary>Readings posted and answered by the host (accepted or rejected by it).</summary>
    public long Sent { get; private set; }

    public long Accepted { get; private set; }

    /// <summary>Readings the host rejected whole (400, or counted in a 200's answer).</summary>
    public long Rejected { get; private set; }

    /// <summary>Single values the host dropped from readings it accepted.</summary>
    public long RejectedValues { get; private set; }

    /// <summary>Failed attempts: 5xx, 408, 429, timeouts, network errors (each retried or given up on).</summary>
    public long HttpErrors { get; private set; }

    public long Requests { get; private set; }

    /// <summary>Times the host answered 413 and a batch was halved.</summary>
    public long Splits { get; private set; }

    public void Answered(int sent, long accepted, long rejected, long rejectedValues)
    {
        Requests++;
        Sent += sent;
        Accepted += accepted;
        Rejected += rejected;
        RejectedValues += rejectedValues;
    }

    public void HttpError(string what)
    {
        HttpErrors++;
        _error.WriteLine($"HTTP error: {what}");
    }

    public void Split(string what)
    {
        Splits++;
        _error.WriteLine(what);
    }

    public void Note(string line) => _error.WriteLine(line);

    /// <summary>Starts a new input (file, poll): the rejection-line budget starts again.</summary>
    public void BeginInput()
    {
        FlushHiddenRejections();
        _rejectionLines = 0;
    }

    /// <summary>Shows a rejection line while the input's budget lasts; counts it otherwise.</summary>
    public void Rejection(string line)
    {
        if (_rejectionLines < MaxRejectionLines)
        {
            _rejectionLines++;
            _error.WriteLine(line);
        }
        else
        {
            _hiddenRejectionLines++;
        }
    }

    public void FlushHiddenRejections()
    {
        if (_hiddenRejectionLines > 0)
        {
            _error.WriteLine($"... and {_hiddenRejectionLines} more rejections not shown");
            _hiddenRejectionLines = 0;
        }
    }

    /// <summary>Writes the progress line when a second has passed since the last one.</summary>
    public void Tick()
    {
        var now = _time.GetTimestamp();
        var since = _time.GetElapsedTime(_lastReport, now);
        if (since < ReportEvery)
        {
            return;
        }

        var rate = (Sent - _sentAtLastReport) / since.TotalSeconds;
        _lastReport = now;
        _sentAtLastReport = Sent;
        _error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"progress: {Sent} sent ({Accepted} accepted, {Rejected} rejected, {RejectedValues} values dropped), {HttpErrors} HTTP errors, {rate:0.#}/s"));
    }

    /// <summary>The one closing line: "{verb}: ...", totals, elapsed time and mean rate.</summary>
    public string Summary(string verb, string? extra = null)
    {
        FlushHiddenRejections();
        var elapsed = _time.GetElapsedTime(_started);
        var rate = elapsed.TotalSeconds > 0 ? Sent / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{verb}: {Sent} readings sent in {Requests} requests: {Accepted} accepted, {Rejected} rejected, {RejectedValues} values dropped; "
            + $"{HttpErrors} HTTP errors{(Splits > 0 ? $", {Splits} batches halved (413)" : "")}{(extra is null ? "" : "; " + extra)}; "
            + $"{elapsed.TotalSeconds:0.0} s, {rate:0.#}/s");
    }
}
