namespace AirQuality.Gateway.Schema;

/// <summary>
/// Presents an async stream as the IObservable that graphql-dotnet's subscription engine consumes: each
/// subscriber gets its own enumeration, and disposing the subscription cancels it. The enumeration starts
/// synchronously inside Subscribe (up to the source's first real wait), so a feed that registers its
/// listener there is listening when Subscribe returns.
/// </summary>
public sealed class AsyncEnumerableObservable<T>(Func<CancellationToken, IAsyncEnumerable<T>> source) : IObservable<T>
{
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var stop = new CancellationTokenSource();
        _ = PumpAsync(observer, stop.Token);
        return new Subscription(stop);
    }

    private async Task PumpAsync(IObserver<T> observer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in source(cancellationToken).WithCancellation(cancellationToken))
            {
                observer.OnNext(item);
            }

            observer.OnCompleted();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unsubscribed: the observer asked for nothing more.
        }
#pragma warning disable CA1031 // The observer is the one place an error of the source can go.
        catch (Exception e)
#pragma warning restore CA1031
        {
            observer.OnError(e);
        }
    }

    private sealed class Subscription(CancellationTokenSource stop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }
    }
}
