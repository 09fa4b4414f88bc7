using AirQuality.Gateway.Schema.Types;
using Microsoft.Extensions.DependencyInjection;

namespace AirQuality.Gateway.Schema;

public sealed class AirQualitySchema : GraphQL.Types.Schema
{
    public AirQualitySchema(IServiceProvider services)
        : base(services)
    {
        Query = services.GetRequiredService<QueryType>();
        Mutation = services.GetRequiredService<MutationType>();
        Subscription = services.GetRequiredService<SubscriptionType>();
        RegisterTypeMapping(typeof(DateTimeOffset), typeof(UtcDateTimeGraphType));
    }
}
