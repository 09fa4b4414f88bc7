namespace AirQuality.Storage.Local.Tests;

/// <summary>A fresh directory under the system temp directory, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = NewPath();
        _ = Directory.CreateDirectory(Path);
    }

    /// <summary>A path for a new directory (not created).</summary>
    public static string NewPath() =>
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "airq-storage-tests", Guid.NewGuid().ToString("N"));

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Delete(Path);

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }
}
