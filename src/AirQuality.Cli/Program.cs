using AirQuality.Cli;

return AirqApp.Run(args, CliConsole.FromProcess());
