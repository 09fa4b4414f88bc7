namespace AirQuality.Cli.Ingest;

/// <summary>Reads an input file whole, saying why not in words rather than throwing.</summary>
internal static class InputFile
{
    /// <summary>Largest file read into memory; Sensor.Community's files are tens of MB at most.</summary>
    public const long MaxBytes = 1L << 30;

    public static bool TryRead(string path, out byte[] content, out string problem)
    {
        content = [];
        problem = "";
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = Directory.Exists(path) ? "is a directory" : "no such file";
                return false;
            }

            if (info.Length > MaxBytes)
            {
                problem = $"larger than {MaxBytes >> 20} MiB";
                return false;
            }

            content = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = e.Message;
            return false;
        }
    }
}
