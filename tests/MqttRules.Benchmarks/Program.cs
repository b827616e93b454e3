using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/MqttRules.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
