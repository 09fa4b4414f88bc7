namespace AirQuality.Storage.Local;

/// <summary>
/// Where the embedded host keeps its durable data (grain state database, reading archive):
/// the configured directory, else the <c>AIRQ_DATA_DIR</c> environment variable, else <c>./.airquality/</c>
/// under the current directory.
/// </summary>
public static class DataDirectory
{
    /// <summary>The environment variable consulted when no directory is configured.</summary>
    public const string EnvironmentVariable = "AIRQ_DATA_DIR";

    /// <summary>The directory used, under the current directory, when neither option nor environment variable is set.</summary>
    public const string DefaultName = ".airquality";

    /// <summary>The absolute data directory, created if it does not exist yet.</summary>
    /// <param name="configured">The configured directory; null or blank to fall back to the environment and the default.</param>
    public static string Resolve(string? configured = null)
    {
        var directory = Find(configured);
        try
        {
            _ = Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET's own message names neither the setting nor what to do about it.
            throw new IOException(
                $"The data directory '{directory}' (setting DataDirectory, else {EnvironmentVariable}, else ./{DefaultName}) cannot be created: {e.Message} " +
                "Point DataDirectory at a directory this process can write.",
                e);
        }

        return directory;
    }

    /// <summary>The absolute data directory, as <see cref="Resolve"/> finds it, without creating it.</summary>
    public static string Find(string? configured = null) =>
        FindFrom(configured, Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.CurrentDirectory);

    internal static string FindFrom(string? configured, string? environmentValue, string currentDirectory)
    {
        var chosen = !string.IsNullOrWhiteSpace(configured) ? configured
            : !string.IsNullOrWhiteSpace(environmentValue) ? environmentValue
            : DefaultName;
        return Path.GetFullPath(chosen, currentDirectory);
    }
}
