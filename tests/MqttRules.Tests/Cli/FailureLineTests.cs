using MqttRules.Cli;

namespace MqttRules.Tests.Cli;

/// <summary>
/// A command that fails on something unexpected prints one line: the exception and each of its
/// causes. A native build missing its SQLite library said only "A type initializer threw an
/// exception", which named neither the library nor the file it looked for.
/// </summary>
public sealed class FailureLineTests
{
    [Fact]
    public void Describe_NamesEveryCause_OnOneLine()
    {
        var missing = new DllNotFoundException("Unable to load shared library 'e_sqlite3'\nor one of its dependencies.");
        var ex = new TypeInitializationException("SQLitePCL.raw", new InvalidOperationException("initialising failed", missing));

        var line = CliMain.Describe(ex);

        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("TypeInitializationException: The type initializer for 'SQLitePCL.raw' threw an exception.", line, StringComparison.Ordinal);
        Assert.Contains(" <- InvalidOperationException: initialising failed <- DllNotFoundException: Unable to load shared library 'e_sqlite3' or one of its dependencies.", line, StringComparison.Ordinal);
    }
}
