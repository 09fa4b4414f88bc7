using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/AirQuality.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
