namespace AirQuality.Testing;

/// <summary>Where the repository is, for tests that run its scripts or read its files.</summary>
public static class Repository
{
    /// <summary>The directory holding AirQuality.sln, found above the test assembly.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AirQuality.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AirQuality.sln not found above " + AppContext.BaseDirectory);
    }
}
