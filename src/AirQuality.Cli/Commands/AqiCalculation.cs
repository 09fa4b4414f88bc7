using System.Text.Json;
using AirQuality.Domain.Aqi;
using AirQuality.Domain.Quantities;

namespace AirQuality.Cli.Commands;

/// <summary>One `airq aqi` request, from arguments or from a batch line, and how it is answered.</summary>
internal sealed record AqiRequest(string? Standard, string? Pollutant, double? Value, string? Unit, string? Averaging)
{
    public const string StandardNames = "us-epa-2024, uk-daqi, eu-eaqi-2024";

    /// <summary>Computes the sub-index, or throws <see cref="UsageException"/> with the reason it cannot.</summary>
    public AqiAnswer Answer()
    {
        if (Standard is null)
        {
            throw new UsageException($"a standard is required ({StandardNames})");
        }

        if (!AqiStandard.TryParse(Standard, out var standard))
        {
            throw new UsageException($"unknown standard '{Standard}' (use {StandardNames})");
        }

        if (Pollutant is null)
        {
            throw new UsageException("a pollutant is required (pm25, pm10, o3, no2, so2, co)");
        }

        if (!PollutantNames.TryParse(Pollutant, out var pollutant))
        {
            throw new UsageException($"unknown pollutant '{Pollutant}' (use pm25, pm10, o3, no2, so2, co)");
        }

        if (Value is not { } value)
        {
            throw new UsageException("a value is required");
        }

        if (!double.IsFinite(value) || value < 0)
        {
            throw new UsageException($"the value must be a finite, non-negative number, not {value}");
        }

        var unit = standard.NativeUnit(pollutant);
        if (Unit is not null && !UnitNames.TryParseShortName(Unit, out unit))
        {
            throw new UsageException($"unknown unit '{Unit}' (use ugm3, mgm3, ppb, ppm)");
        }

        var averaging = standard.DefaultAveraging(pollutant);
        if (Averaging is not null && !PollutantNames.TryParseAveraging(Averaging, out averaging))
        {
            throw new UsageException($"unknown averaging '{Averaging}' (use 15min, 1h, 8h, 24h)");
        }

        if (!standard.TryToNativeUnit(pollutant, value, unit, out var native))
        {
            throw new UsageException($"{pollutant.ToName()} cannot be given in {unit.ToShortName()}");
        }

        var result = standard.Calculate(pollutant, native, averaging);
        if (!result.HasIndex)
        {
            throw new UsageException(result.Note ?? $"no index: {result.Status}");
        }

        return new AqiAnswer(standard, value, unit, result);
    }
}

internal sealed record AqiAnswer(AqiStandard Standard, double Value, Unit Unit, SubIndex Result)
{
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("standard", Standard.Name);
        w.WriteString("pollutant", Result.Pollutant.ToName());
        w.WriteNumber("value", Value);
        w.WriteString("unit", Unit.ToShortName());
        w.WriteNumber("index", Result.Index);
        w.WriteString("category", Result.Category!.Name);
        w.WriteString("color", Result.Category.Color);
        w.WriteString("averaging", Result.Averaging.ToName());
        if (Result.Status == AqiStatus.BeyondIndex)
        {
            w.WriteBoolean("beyondIndex", true);
        }

        w.WriteEndObject();
    }
}
