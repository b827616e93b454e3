using Microsoft.Extensions.Logging;

namespace MqttRules.Tests.Support;

/// <summary>Collects formatted log lines (level and text) for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, EventId Id, string Text)> Lines { get; } = [];

    public IEnumerable<string> At(LogLevel level) => Lines.Where(l => l.Level == level).Select(l => l.Text);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add((logLevel, eventId, formatter(state, exception)));
}
