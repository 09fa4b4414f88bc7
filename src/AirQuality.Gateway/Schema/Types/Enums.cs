using AirQuality.Contracts;
using AirQuality.Contracts.Index;
using AirQuality.Domain.Aqi;
using GraphQL.Types;

namespace AirQuality.Gateway.Schema.Types;

// The enum names are the schema contract (issue 4), so each value is named here, not derived from C# names.

public sealed class AqiStandardGraphType : EnumerationGraphType
{
    public AqiStandardGraphType()
    {
        Name = "AqiStandard";
        Add("US_EPA_2024", IndexStandard.UsEpa2024, "US EPA AQI (2024 PM2.5 revision)");
        Add("UK_DAQI", IndexStandard.UkDaqi, "UK Daily Air Quality Index");
        Add("EU_EAQI_2024", IndexStandard.EuEaqi2024, "European Air Quality Index (2024)");
    }

    /// <summary>The name the sensor views use for a standard ("us-epa-2024").</summary>
    public static string ViewName(IndexStandard standard) => standard switch
    {
        IndexStandard.UsEpa2024 => "us-epa-2024",
        IndexStandard.UkDaqi => "uk-daqi",
        _ => "eu-eaqi-2024",
    };

    /// <summary>The domain's scale of a standard (its bands, for legends and for naming an index's category).</summary>
    public static AqiStandard Scale(IndexStandard standard) => AqiStandard.Get(standard switch
    {
        IndexStandard.UsEpa2024 => AqiStandardId.UsEpa2024,
        IndexStandard.UkDaqi => AqiStandardId.UkDaqi,
        _ => AqiStandardId.EuEaqi2024,
    });

    public static IndexStandard? FromViewName(string name) => name switch
    {
        "us-epa-2024" => IndexStandard.UsEpa2024,
        "uk-daqi" => IndexStandard.UkDaqi,
        "eu-eaqi-2024" => IndexStandard.EuEaqi2024,
        _ => null,
    };
}

public sealed class SensorStatusGraphType : EnumerationGraphType
{
    public SensorStatusGraphType()
    {
        Name = "SensorStatus";
        Add("ONLINE", SensorStatusView.Online);
        Add("STALE", SensorStatusView.Stale);
        Add("NEVER_SEEN", SensorStatusView.NeverSeen);
    }
}

public sealed class IntervalGraphType : EnumerationGraphType
{
    public IntervalGraphType()
    {
        Name = "Interval";
        Add("HOUR", HistoryInterval.Hour);
        Add("DAY", HistoryInterval.Day);
    }
}

public sealed class AlertStateGraphType : EnumerationGraphType
{
    public AlertStateGraphType()
    {
        Name = "AlertState";
        Add("ACTIVE", AlertStateView.Active);
        Add("ACKNOWLEDGED", AlertStateView.Acknowledged);
        Add("CLEARED", AlertStateView.Cleared);
    }
}
