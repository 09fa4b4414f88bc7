using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AirQuality.Ingest.Http;

/// <summary>
/// Decides whether an ingest request may start: the client's reading budget (429 past it) and the ingest work
/// in flight on this host (503 past it). One per host.
/// </summary>
/// <remarks>
/// <para>The budget counts readings (records sent, good or bad), not requests: one request may carry 1 or
/// 100,000 readings, and a fleet operator sizes a fleet in readings per second. It is a token bucket per
/// client that may go into debt: a request is let in while the client's balance is above zero and is charged
/// afterwards with what it turned out to hold, so no request is ever cut off half-way, and a client that
/// overdraws waits (Retry-After) until the debt is paid back at the configured rate. ASP.NET Core's rate
/// limiter is not used here because it must know a request's cost before the request starts, and because its
/// rejection answer is the gateway's GraphQL-shaped one.</para>
/// <para>A client is the ingest key it presented when keys are required (its position in
/// Ingest:ApiKeySha256, never the key), else its IP address (an IPv6 client by its /64, which one host
/// usually has whole).</para>
/// </remarks>
public sealed class IngestAdmission : IDisposable
{
    /// <summary>Past this many tracked clients, idle ones (budget full again) are forgotten.</summary>
    private const int SweepAbove = 10_000;

    private readonly IngestOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrencyLimiter _inFlight;
    private readonly ConcurrentDictionary<string, Budget> _budgets = new(StringComparer.Ordinal);
    private long _lastSweep;

    public IngestAdmission(IOptions<IngestOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _time = time;
        _inFlight = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxConcurrentRequests,
            QueueLimit = _options.MaxQueuedRequests,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The partition a request counts against.</summary>
    public static string ClientOf(string? keyClient, IPAddress? address)
    {
        if (keyClient is not null)
        {
            return keyClient;
        }

        if (address is null)
        {
            return "ip:unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            bytes.AsSpan(8).Clear();
            address = new IPAddress(bytes);
        }

        return "ip:" + address;
    }

    /// <summary>Null when the client may send now, else how long until its budget is above zero again.</summary>
    public TimeSpan? RetryAfter(string client)
    {
        if (_options.RateLimitReadingsPerSecond == 0)
        {
            return null;
        }

        if (!_budgets.TryGetValue(client, out var budget))
        {
            return null;
        }

        lock (budget)
        {
            var balance = budget.Refill(_time.GetTimestamp(), _time, _options);
            return balance > 0 ? null : TimeSpan.FromSeconds((1 - balance) / _options.RateLimitReadingsPerSecond);
        }
    }

    /// <summary>Charges the client for the readings (records) a request held.</summary>
    public void Charge(string client, long readings)
    {
        if (_options.RateLimitReadingsPerSecond == 0 || readings <= 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var budget = _budgets.GetOrAdd(client, static (_, state) => new Budget(state.Burst, state.Now), (Burst: (double)_options.RateLimitBurstReadings, Now: now));
        lock (budget)
        {
            budget.Refill(now, _time, _options);
            budget.Balance -= readings;
        }

        if (_budgets.Count > SweepAbove)
        {
            Sweep(now);
        }
    }

    /// <summary>A place among the ingest requests in flight (waiting in the bounded queue if need be), or null when both are full.</summary>
    public async ValueTask<RateLimitLease?> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = await _inFlight.AcquireAsync(1, cancellationToken);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        return null;
    }

    public void Dispose() => _inFlight.Dispose();

    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(1) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (client, budget) in _budgets)
        {
            lock (budget)
            {
                if (budget.Refill(now, _time, _options) >= _options.RateLimitBurstReadings)
                {
                    _budgets.TryRemove(client, out _);
                }
            }
        }
    }

    /// <summary>One client's readings balance; refills at the configured rate up to the burst.</summary>
    private sealed class Budget(double balance, long updated)
    {
        public double Balance { get; set; } = balance;

        public double Refill(long now, TimeProvider time, IngestOptions options)
        {
            var elapsed = time.GetElapsedTime(updated, now).TotalSeconds;
            if (elapsed > 0)
            {
                Balance = Math.Min(options.RateLimitBurstReadings, Balance + (elapsed * options.RateLimitReadingsPerSecond));
                updated = now;
            }

            return Balance;
        }
    }
}
