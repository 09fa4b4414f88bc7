namespace AirQuality.Domain.Aqi;

/// <summary>
/// A banded scale given as inclusive upper limits: band k (1-based) holds values up to limits[k-1];
/// values above the last limit are in the open top band (limits.Length + 1). Used by the UK and EU
/// indices, whose tables are written this way.
/// </summary>
internal sealed class UpperLimitBands(params double[] limits)
{
    public int BandOf(double value)
    {
        for (var i = 0; i < limits.Length; i++)
        {
            if (value <= limits[i])
            {
                return i + 1;
            }
        }

        return limits.Length + 1;
    }
}
