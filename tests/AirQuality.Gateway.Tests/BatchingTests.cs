using System.Collections.Concurrent;
using System.Reflection;
using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Gateway.Schema;

namespace AirQuality.Gateway.Tests;

/// <summary>A page of sensors asks their grains for full views once, all together, and only when a field needs them.</summary>
public sealed class BatchingTests
{
    [Fact]
    public async Task The_first_node_that_needs_a_view_starts_the_calls_for_the_whole_page_and_no_node_starts_more()
    {
        var grains = new FakeGrains();
        var page = new SensorPageViews(grains.Factory, [Summary("b-1"), Summary("b-2"), Summary("b-3")]);
        var nodes = Enumerable.Range(0, 3).Select(i => new SensorNode(page, i)).ToList();
        Assert.Empty(grains.Calls);

        var second = nodes[1].ViewAsync();
        Assert.Equal(["b-1", "b-2", "b-3"], grains.Calls.Order());

        var views = await Task.WhenAll(nodes[0].ViewAsync(), second, nodes[2].ViewAsync());
        Assert.Equal(["b-1", "b-2", "b-3"], views.Select(v => v.Id));
        Assert.Equal(3, grains.Calls.Count);
    }

    [Fact]
    public async Task A_node_from_a_page_keeps_its_summary_and_a_failed_call_fails_only_its_own_node()
    {
        var grains = new FakeGrains { Failing = "b-2" };
        var page = new SensorPageViews(grains.Factory, [Summary("b-1"), Summary("b-2")]);
        var first = new SensorNode(page, 0);
        var second = new SensorNode(page, 1);
        Assert.Equal("b-2", second.Id);
        Assert.Equal(52.5, second.Summary!.Latitude);

        Assert.Equal("b-1", (await first.ViewAsync()).Id);
        await Assert.ThrowsAsync<InvalidOperationException>(second.ViewAsync);
    }

    private static SensorSummary Summary(string id) =>
        new(id, 52.5, 13.4, "DE", false, SensorStatusView.Online, DateTimeOffset.UtcNow, 42, 2, 1);

    /// <summary>An IGrainFactory whose sensor grains answer GetView at once, recording which sensors were asked.</summary>
    private sealed class FakeGrains
    {
        public FakeGrains() => Factory = DelegateProxy.Create<IGrainFactory>(Invoke);

        public IGrainFactory Factory { get; }

        public ConcurrentQueue<string> Calls { get; } = new();

        public string? Failing { get; init; }

        private object? Invoke(MethodInfo method, object?[] args)
        {
            if (method.Name != nameof(IGrainFactory.GetGrain) || args is not [string id, ..])
            {
                throw new NotSupportedException(method.ToString());
            }

            return DelegateProxy.Create<ISensorGrain>((m, _) =>
            {
                if (m.Name != nameof(ISensorGrain.GetView))
                {
                    throw new NotSupportedException(m.ToString());
                }

                Calls.Enqueue(id);
                return id == Failing
                    ? Task.FromException<SensorView>(new InvalidOperationException("the grain failed"))
                    : Task.FromResult(new SensorView(id, null, null, SensorStatusView.Online, null, null, [], []));
            });
        }
    }

    /// <summary>Implements an interface by one delegate (enough for the two or three members a test touches).</summary>
    public class DelegateProxy : DispatchProxy
    {
        private Func<MethodInfo, object?[], object?> _invoke = null!;

        public static T Create<T>(Func<MethodInfo, object?[], object?> invoke)
            where T : class
        {
            var proxy = Create<T, DelegateProxy>();
            ((DelegateProxy)(object)proxy)._invoke = invoke;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => _invoke(targetMethod!, args ?? []);
    }
}
