using BenchmarkDotNet.Running;
using MqttRules.Benchmarks;

// dotnet run -c Release --project tests/MqttRules.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/MqttRules.Benchmarks -- cpu     (thread CPU time cross-check)
// dotnet run -c Release --project tests/MqttRules.Benchmarks -- alloc   (bytes per message, firing and resolving apart)
if (args is ["cpu"])
{
    CpuTimeProbe.Run();
    return;
}

if (args is ["alloc"])
{
    AllocationProbe.Run();
    return;
}

if (args is ["cpu-parts"])
{
    CpuTimeProbe.RunParts();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
