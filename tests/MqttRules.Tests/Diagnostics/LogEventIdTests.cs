using System.Reflection;
using Microsoft.Extensions.Logging;

namespace MqttRules.Tests.Diagnostics;

/// <summary>Every log line of the product has its own event id, so a line can be found (and alerted on) by id alone.</summary>
public class LogEventIdTests
{
    private static readonly Assembly[] Product =
    [
        typeof(MqttRules.Engine.RuleEngine).Assembly,   // MqttRules.Core
        typeof(MqttRules.Cli.CliOptions).Assembly,      // mqttrules
    ];

    private static List<(string Method, int Id)> LogMethods() =>
        Product
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => ($"{x.Method.DeclaringType!.FullName}.{x.Method.Name}", x.Attribute!.EventId))
            .ToList();

    [Fact]
    public void LoggerMessages_FoundInBothAssemblies()
    {
        var methods = LogMethods();

        Assert.Contains(methods, m => m.Method.StartsWith("MqttRules.Engine.", StringComparison.Ordinal));
        Assert.Contains(methods, m => m.Method.StartsWith("MqttRules.Cli.", StringComparison.Ordinal));
    }

    [Fact]
    public void LoggerMessages_EveryEventIdSet()
    {
        var unset = LogMethods().Where(m => m.Id == 0).Select(m => m.Method);

        Assert.Empty(unset);
    }

    [Fact]
    public void LoggerMessages_EventIdsUnique()
    {
        var shared = LogMethods()
            .GroupBy(m => m.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");

        Assert.Empty(shared);
    }
}
