using AirQuality.Domain.Spatial;

namespace AirQuality.Contracts.Index;

/// <summary>A query's filters, checked once and applied to summaries (pure).</summary>
public sealed class SensorFilter
{
    private SensorFilter()
    {
    }

    public BoundingBox? Box { get; private init; }

    public GeoCircle? Near { get; private init; }

    public BoundingBox? NearBox { get; private init; }

    public string? Country { get; private init; }

    public IndexStandard? Standard { get; private init; }

    public int? MinIndex { get; private init; }

    public int? MaxIndex { get; private init; }

    public Contracts.SensorStatusView? Status { get; private init; }

    /// <summary>The checked filters of <paramref name="query"/>, or a <see cref="SensorQueryException"/> saying what is wrong.</summary>
    public static SensorFilter Create(SensorQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        BoundingBox? box = null;
        if (query.Bbox is { } b)
        {
            box = BoundingBox.Problem(b.MinLon, b.MinLat, b.MaxLon, b.MaxLat) is { } problem
                ? throw new SensorQueryException($"Invalid bbox [{b.MinLon}, {b.MinLat}, {b.MaxLon}, {b.MaxLat}]: {problem}.")
                : BoundingBox.Create(b.MinLon, b.MinLat, b.MaxLon, b.MaxLat);
        }

        BoundingBox? nearBox = null;
        if (query.Near is { } n)
        {
            if (GeoMath.PointProblem(n.Latitude, n.Longitude) is { } problem)
            {
                throw new SensorQueryException($"Invalid near: {problem}.");
            }

            if (!double.IsFinite(n.RadiusKm) || n.RadiusKm <= 0 || n.RadiusKm > MaxRadiusKm)
            {
                throw new SensorQueryException($"Invalid near: radiusKm {n.RadiusKm} must be more than 0 and at most {MaxRadiusKm}.");
            }

            nearBox = BoundingBox.AroundCircle(n.Latitude, n.Longitude, n.RadiusKm);
        }

        string? country = null;
        if (query.Country is { } c)
        {
            country = CountryCode.Normalize(c) ?? throw new SensorQueryException($"Invalid country: {CountryCode.Problem(c)}.");
        }

        if ((query.MinIndex is not null || query.MaxIndex is not null) && query.Standard is null)
        {
            throw new SensorQueryException("minIndex and maxIndex need a standard to say which index they bound.");
        }

        if (query.MinIndex is { } min && query.MaxIndex is { } max && min > max)
        {
            throw new SensorQueryException($"minIndex {min} is greater than maxIndex {max}.");
        }

        if (query.Standard is { } s && !Enum.IsDefined(s))
        {
            throw new SensorQueryException($"Unknown standard {s}.");
        }

        return new SensorFilter
        {
            Box = box,
            Near = query.Near,
            NearBox = nearBox,
            Country = country,
            Standard = query.Standard,
            MinIndex = query.MinIndex,
            MaxIndex = query.MaxIndex,
            Status = query.Status,
        };
    }

    /// <summary>Half the Earth's circumference: every point is within it.</summary>
    public const double MaxRadiusKm = 20_016;

    public bool HasArea => Box is not null || Near is not null;

    public bool Matches(SensorSummary s)
    {
        if (Box is { } box && !box.Contains(s.Latitude, s.Longitude))
        {
            return false;
        }

        if (Near is { } near && GeoMath.HaversineKm(near.Latitude, near.Longitude, s.Latitude, s.Longitude) > near.RadiusKm)
        {
            return false;
        }

        if (Country is not null && !string.Equals(Country, s.Country, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Status is { } status && s.Status != status)
        {
            return false;
        }

        if (Standard is { } standard)
        {
            if (s.IndexUnder(standard) is not { } index)
            {
                return false;
            }

            if (index < MinIndex || index > MaxIndex)
            {
                return false;
            }
        }

        return true;
    }
}
