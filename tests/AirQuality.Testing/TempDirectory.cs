namespace AirQuality.Testing;

/// <summary>A fresh directory under the system temp directory, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">The start of the directory's name, so a leftover one tells which tests made it.</param>
    public TempDirectory(string prefix = "airq-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    /// <summary>A path for a new directory under the system temp directory (not created).</summary>
    public static string NewPath(string prefix = "airq-test-") =>
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Delete(Path);

    /// <summary>Deletes a directory and everything in it, as far as it can: a leftover temp directory must not fail a test.</summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (or a directory already gone) is left for the OS to clean up.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
