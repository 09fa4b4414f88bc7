using System.CommandLine;
using AirQuality.Cli.Commands;
using AirQuality.Cli.Ingest;

namespace AirQuality.Cli;

/// <summary>The `airq` command line: parses arguments, runs one command, maps failures to exit codes.</summary>
public static class AirqApp
{
    public static int Run(string[] args, CliConsole console) => Run(args, console, IngestEnvironment.Default);

    /// <summary>Runs with the given clock, HTTP handler and cancellation for the commands that send to a host.</summary>
    internal static int Run(string[] args, CliConsole console, IngestEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("airq: air-quality tools: AQI, NowCast, decoding sensor data, importing and simulating readings.")
        {
            AqiCommand.Create(console),
            NowCastCommand.Create(console),
            DecodeCommand.Create(console),
            ImportCommand.Create(console, environment),
            SimulateCommand.Create(console, environment),
        };

        var parsed = root.Parse(args);
        // A word no command knows fails even with --help (which would otherwise print the parent's help and exit 0).
        if (parsed.UnmatchedTokens is [var unknown, ..])
        {
            var path = CommandPath(parsed.CommandResult);
            console.Error.WriteLine($"airq: unrecognized command or argument '{unknown}' for '{path}' (see '{path} --help')");
            return ExitCodes.BadInput;
        }

        if (parsed.Errors.Count > 0)
        {
            console.Error.WriteLine($"airq: {OneLine(parsed.Errors[0].Message)}");
            return ExitCodes.BadInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = new StreamWriter(console.Output, leaveOpen: true) { AutoFlush = true },
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"airq: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            console.Error.WriteLine($"airq: {e.Message}");
            return ExitCodes.InternalError;
        }
        finally
        {
            console.Output.Flush();
            console.Error.Flush();
        }
    }

    /// <summary>The command as typed, e.g. "airq import".</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(r.Command is RootCommand ? "airq" : r.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>The contract is a one-line reason: some parser messages list choices on several lines.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
