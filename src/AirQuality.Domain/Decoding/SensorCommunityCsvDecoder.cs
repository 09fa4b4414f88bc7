using System.Text;
using AirQuality.Domain.Decoding.Internal;
using AirQuality.Domain.Readings;
using AirQuality.Domain.Validation;

namespace AirQuality.Domain.Decoding;

/// <summary>
/// Decodes the Sensor.Community daily archive CSV: ';'-separated, one file per sensor type and day,
/// with a header row naming the columns, e.g.
/// <code>
/// sensor_id;sensor_type;location;lat;lon;timestamp;P1;durP1;ratioP1;P2;durP2;ratioP2
/// 36;SDS011;13208;51.044;13.746;2019-09-03T00:00:58;40.80;;;21.10;;
/// </code>
/// </summary>
/// <remarks>
/// <para>Columns are found by name, so their order may differ. sensor_id and timestamp are required;
/// without them the first line is not a header and the whole file is rejected (one rejection, record 0).
/// sensor_type, lat, lon and altitude (the sensor's, in metres) are optional; "location" is the place id and,
/// like the durP*/ratioP* quality columns, is not used. Every other column is a value, mapped by
/// <see cref="SensorCommunityValueTypes"/> (pressures in Pa become hPa).</para>
/// <para>Records are the data rows, numbered from 1 after the header, with their line numbers; blank lines
/// are skipped. An empty cell is an absent value, not a rejection. A row with the wrong number of cells is
/// rejected. Timestamps are UTC ("2019-09-03T00:00:58" or "2019-09-03 00:00:58"; a Z or offset is honoured).
/// Lines may end in CRLF.</para>
/// <para>Thread-safe: all per-call state lives in the call.</para>
/// </remarks>
public sealed class SensorCommunityCsvDecoder
{
    private const byte Separator = (byte)';';

    private readonly ReadingValidator _validator;

    public SensorCommunityCsvDecoder(ReadingValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        _validator = validator;
    }

    public DecodeResult Decode(ReadOnlySpan<byte> utf8)
    {
        var session = new DecodeSession(_validator);
        var body = JsonRecords.SkipBom(utf8, out _);
        if (JsonRecords.IsBlank(body))
        {
            session.RejectWholeInput("empty body");
            return session.Result;
        }

        Columns? columns = null;
        Range[] cells = [];
        var record = 0;
        long lineNumber = 0;
        var position = 0;
        while (position < body.Length)
        {
            lineNumber++;
            var rest = body[position..];
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            position += newline < 0 ? rest.Length : newline + 1;
            if (line.EndsWith((byte)'\r'))
            {
                line = line[..^1];
            }

            if (JsonRecords.IsBlank(line))
            {
                continue;
            }

            if (columns is null)
            {
                columns = Columns.Parse(line, out var headerProblem);
                if (headerProblem is not null)
                {
                    session.RejectWholeInput(headerProblem, lineNumber);
                    return session.Result;
                }

                cells = new Range[columns.Count];
                continue;
            }

            record++;
            session.BeginRecord(record, lineNumber);
            var cellCount = SplitCells(line, cells);
            if (cellCount != columns.Count)
            {
                session.FailRecord($"row has {cellCount} cells but the header has {columns.Count}");
            }
            else
            {
                DecodeRow(line, cells, columns, session);
            }

            session.EndRecord();
        }

        return session.Result;
    }

    /// <summary>Cell boundaries into <paramref name="cells"/> (as many as fit); returns how many cells the line has.</summary>
    private static int SplitCells(ReadOnlySpan<byte> line, Range[] cells)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var separator = line[start..].IndexOf(Separator);
            var end = separator < 0 ? line.Length : start + separator;
            if (count < cells.Length)
            {
                cells[count] = new Range(start, end);
            }

            count++;
            if (separator < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }

    private static void DecodeRow(ReadOnlySpan<byte> line, Range[] cells, Columns columns, DecodeSession session)
    {
        double? latitude = null, longitude = null, altitude = null;
        string? locationProblem = null;
        for (var i = 0; i < columns.Count; i++)
        {
            var cell = Cell(line[cells[i]]);
            switch (columns.Roles[i])
            {
                case ColumnRole.Value:
                    if (!cell.IsEmpty)
                    {
                        var type = columns.ValueTypes[i];
                        if (TextNumber.TryParse(cell, out var value, out var problem))
                        {
                            session.AddValue(type.Quantity, type.ToCanonical(value));
                        }
                        else
                        {
                            session.RejectValue(type.Quantity.Name, $"value for '{columns.Names[i]}' {problem}");
                        }
                    }

                    break;
                case ColumnRole.SensorId:
                    if (DecodeSession.TryParseSensorNumber(cell, out var number))
                    {
                        session.SetSensorCommunityId(number);
                    }
                    else
                    {
                        session.FailRecord(cell.IsEmpty ? "missing sensor_id" : $"sensor_id '{TextDescription.Of(cell)}' is not a number");
                    }

                    break;
                case ColumnRole.Timestamp:
                    if (cell.IsEmpty)
                    {
                        session.FailRecord("missing timestamp");
                    }
                    else
                    {
                        session.SetTimestamp(cell, requireZone: false);
                    }

                    break;
                case ColumnRole.SensorType:
                    session.SetSensorType(cell);
                    break;
                case ColumnRole.Latitude:
                    latitude = ParseCoordinate(cell, columns.Names[i], ref locationProblem);
                    break;
                case ColumnRole.Longitude:
                    longitude = ParseCoordinate(cell, columns.Names[i], ref locationProblem);
                    break;
                case ColumnRole.Altitude:
                    altitude = ParseCoordinate(cell, columns.Names[i], ref locationProblem);
                    break;
                default:
                    break;
            }
        }

        if (locationProblem is not null)
        {
            session.RejectLocation(locationProblem);
        }
        else if (latitude is not null && longitude is not null)
        {
            session.SetLocation(new SensorLocation(latitude.Value, longitude.Value, altitude));
        }
        else if (latitude is not null || longitude is not null)
        {
            session.RejectLocation("location needs both 'lat' and 'lon'");
        }
    }

    private static double? ParseCoordinate(ReadOnlySpan<byte> cell, string column, ref string? problem)
    {
        if (cell.IsEmpty)
        {
            return null;
        }

        if (TextNumber.TryParse(cell, out var value, out var numberProblem))
        {
            return value;
        }

        problem ??= $"'{column}' {numberProblem}";
        return null;
    }

    /// <summary>A cell without surrounding spaces or double quotes (some tools quote every cell on export).</summary>
    private static ReadOnlySpan<byte> Cell(ReadOnlySpan<byte> cell)
    {
        cell = cell.Trim(" \t"u8);
        if (cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"')
        {
            cell = cell[1..^1].Trim(" \t"u8);
        }

        return cell;
    }

    private enum ColumnRole : byte
    {
        Ignored,
        Value,
        SensorId,
        SensorType,
        Timestamp,
        Latitude,
        Longitude,
        Altitude,
    }

    /// <summary>What each column of the file holds, from its header row.</summary>
    private sealed class Columns
    {
        private Columns(string[] names, ColumnRole[] roles, SensorCommunityValueType[] valueTypes)
        {
            Names = names;
            Roles = roles;
            ValueTypes = valueTypes;
        }

        public int Count => Names.Length;

        public string[] Names { get; }

        public ColumnRole[] Roles { get; }

        public SensorCommunityValueType[] ValueTypes { get; }

        public static Columns Parse(ReadOnlySpan<byte> header, out string? problem)
        {
            var cells = new Range[SplitCells(header, [])];
            _ = SplitCells(header, cells);
            var names = new string[cells.Length];
            var roles = new ColumnRole[cells.Length];
            var valueTypes = new SensorCommunityValueType[cells.Length];
            bool hasSensorId = false, hasTimestamp = false;
            string? duplicate = null;
            for (var i = 0; i < cells.Length; i++)
            {
                var cell = Cell(header[cells[i]]);
                names[i] = TextDescription.Of(cell);
                roles[i] = RoleOf(cell);
                duplicate ??= DuplicateOf(names, roles, i);
                if (roles[i] == ColumnRole.Value)
                {
                    if (SensorCommunityValueTypes.TryMapUtf8(cell, out var mapped))
                    {
                        valueTypes[i] = mapped;
                    }
                    else
                    {
                        // A column no quantity can be named after (control characters, 100 characters long).
                        roles[i] = ColumnRole.Ignored;
                    }
                }

                hasSensorId |= roles[i] == ColumnRole.SensorId;
                hasTimestamp |= roles[i] == ColumnRole.Timestamp;
            }

            if (duplicate is not null)
            {
                // Every row would have two cells for one thing, and which one is meant cannot be known.
                problem = $"duplicate column '{duplicate}' in the CSV header (first line: '{TextDescription.Of(header)}')";
                return new Columns(names, roles, valueTypes);
            }

            problem = hasSensorId && hasTimestamp
                ? null
                : $"missing CSV header: the first line must name the columns, like sensor_id;sensor_type;location;lat;lon;timestamp;P1;P2, "
                    + $"and it has no {(hasSensorId ? "timestamp" : hasTimestamp ? "sensor_id" : "sensor_id or timestamp")} column (first line: '{TextDescription.Of(header)}')";
            return new Columns(names, roles, valueTypes);
        }

        /// <summary>
        /// The name of column <paramref name="i"/> when an earlier column holds the same thing: the same role
        /// (lat and LAT, or lat and latitude) or, for values, the same name in any case. Value columns with different
        /// names for one quantity (P1, SDS_P1) are not duplicates here: each row keeps the first such value.
        /// </summary>
        private static string? DuplicateOf(string[] names, ColumnRole[] roles, int i)
        {
            if (roles[i] == ColumnRole.Ignored)
            {
                return null;
            }

            for (var j = 0; j < i; j++)
            {
                if (roles[j] == roles[i] && (roles[i] != ColumnRole.Value || string.Equals(names[i], names[j], StringComparison.OrdinalIgnoreCase)))
                {
                    return names[i];
                }
            }

            return null;
        }

        private static ColumnRole RoleOf(ReadOnlySpan<byte> name)
        {
            if (name.IsEmpty)
            {
                return ColumnRole.Ignored;
            }

            if (Is(name, "sensor_id"u8))
            {
                return ColumnRole.SensorId;
            }

            if (Is(name, "sensor_type"u8))
            {
                return ColumnRole.SensorType;
            }

            if (Is(name, "timestamp"u8))
            {
                return ColumnRole.Timestamp;
            }

            if (Is(name, "lat"u8) || Is(name, "latitude"u8))
            {
                return ColumnRole.Latitude;
            }

            if (Is(name, "lon"u8) || Is(name, "lng"u8) || Is(name, "longitude"u8))
            {
                return ColumnRole.Longitude;
            }

            if (Is(name, "altitude"u8))
            {
                return ColumnRole.Altitude;
            }

            // "location" is the place id; durP1/ratioP1 etc. are the sensor's quality metadata, not measurements.
            if (Is(name, "location"u8) || StartsWith(name, "durP"u8) || StartsWith(name, "ratioP"u8))
            {
                return ColumnRole.Ignored;
            }

            return ColumnRole.Value;
        }

        private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) => Ascii.EqualsIgnoreCase(name, expected);

        private static bool StartsWith(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix) =>
            name.Length >= prefix.Length && Ascii.EqualsIgnoreCase(name[..prefix.Length], prefix);
    }
}
