namespace AirQuality.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected failure inside the tool (a bug, or the OS refusing I/O).</summary>
    public const int InternalError = 1;

    /// <summary>Bad arguments or bad input; stderr holds a one-line reason.</summary>
    public const int BadInput = 2;
}

/// <summary>Thrown by commands for bad arguments or input: becomes exit code 2 and its message on stderr.</summary>
public sealed class UsageException(string message) : Exception(message);
