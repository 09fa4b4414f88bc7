using System.Buffers.Text;
using System.Text;

namespace AirQuality.Gateway.Schema;

/// <summary>Checks page sizes and makes the cursors of lists the gateway pages itself (a sensor's alerts).</summary>
public static class Paging
{
    public static int CheckFirst(int? first, GatewayOptions options)
    {
        var size = first ?? options.DefaultPageSize;
        return size < 1 || size > options.MaxPageSize ? throw GatewayErrors.PageTooLarge(size, options.MaxPageSize) : size;
    }

    public static string CursorOfAlert(string alertId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("alert:" + alertId));

    /// <summary>The alert id an alerts cursor stands for.</summary>
    public static string AlertOfCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("alert:", StringComparison.Ordinal) ? text["alert:".Length..] : throw NotOurs();
        }
        catch (FormatException)
        {
            throw NotOurs();
        }
    }

    private static GraphQL.ExecutionError NotOurs() => GatewayErrors.BadRequest("the 'after' cursor is not a cursor of this list");
}
