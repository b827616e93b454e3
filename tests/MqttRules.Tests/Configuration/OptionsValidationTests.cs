using MqttRules.Configuration;
using MqttRules.Engine;
using MqttRules.Hosting;
using MqttRules.Loading;
using MqttRules.Mqtt;
using MqttRules.Outbox;

namespace MqttRules.Tests.Configuration;

/// <summary>
/// Issue 11.4: every options type holds its defaults and its ranges; the defaults are valid, and a value
/// outside its range is a <see cref="ConfigException"/> naming the variable (or option) and the range,
/// raised when the host is built, before anything opens or connects.
/// </summary>
public sealed class OptionsValidationTests
{
    private static readonly MqttRules.Rules.RuleSet NoRules = RuleLoader.LoadText("rules: []").Rules;

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        new DeliveryOptions().Validate();
        new EmbeddedLimits().Validate();
        new EngineOptions().Validate();
        new HostOptions().Validate();
    }

    public static TheoryData<DeliveryOptions, string> BadDelivery => new()
    {
        { new DeliveryOptions { MaxAttempts = 0 }, "MaxAttempts: must be a whole number from 1 to 100, not 0" },
        { new DeliveryOptions { MaxAttempts = 101 }, "MaxAttempts: must be a whole number from 1 to 100, not 101" },
        { new DeliveryOptions { BaseDelay = TimeSpan.Zero }, "BaseDelay: must be a duration from 1 ms to 1 hour, not 0 ms" },
        { new DeliveryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(5) }, "MaxDelay: must be a duration from 10 seconds to 1 hour, not 5 seconds" },
        { new DeliveryOptions { StopTimeout = TimeSpan.FromSeconds(11) }, "StopTimeout: must be a duration from 0 ms to 10 seconds, not 11 seconds" },
        { new DeliveryOptions { PollInterval = TimeSpan.FromMinutes(2) }, "PollInterval: must be a duration from 1 ms to 1 minute, not 2 minutes" },
        { new DeliveryOptions { RescheduleBase = TimeSpan.FromMinutes(5), RescheduleMax = TimeSpan.FromMinutes(1) }, "RescheduleMax: must be a duration from 5 minutes to 1 day, not 1 minute" },
        { new DeliveryOptions { TweetBudget = -1 }, "MQTTRULES_TWEET_BUDGET: must be a whole number from 0 to 2147483647, not -1" },
        { new DeliveryOptions { KeepDelivered = TimeSpan.FromDays(400) }, "KeepDelivered: must be a duration from 0 ms to 365 days, not 400 days" },
    };

    [Theory]
    [MemberData(nameof(BadDelivery))]
    public void DeliveryOptions_OutOfRange_NamesOptionAndRange(DeliveryOptions options, string message) =>
        Assert.Equal(message, Assert.Throws<ConfigException>(options.Validate).Message);

    [Theory]
    [InlineData("MQTTRULES_TWEET_BUDGET", "-1", "MQTTRULES_TWEET_BUDGET: must be a whole number from 0 to 2147483647, not '-1'")]
    [InlineData("MQTTRULES_TWEET_BUDGET", "lots", "MQTTRULES_TWEET_BUDGET: must be a whole number from 0 to 2147483647, not 'lots'")]
    [InlineData("MQTTRULES_SUBSCRIBE_QOS", "3", "MQTTRULES_SUBSCRIBE_QOS: must be a whole number from 0 to 2, not '3'")]
    [InlineData("MQTTRULES_EMBEDDED_CONNECT_TIMEOUT", "4000", "MQTTRULES_EMBEDDED_CONNECT_TIMEOUT: must be a whole number from 1 to 3600, not '4000'")]
    [InlineData("MQTTRULES_EMBEDDED_MAX_CONNECTIONS", "0", "MQTTRULES_EMBEDDED_MAX_CONNECTIONS: must be a whole number from 1 to 2147483647, not '0'")]
    [InlineData("MQTTRULES_SESSION_EXPIRY", "200y", "MQTTRULES_SESSION_EXPIRY: must be a duration such as 90s, 5m, 12h or 1d (from 0 ms to 136 years), not '200y'")]
    [InlineData("MQTTRULES_TOPIC_PREFIX", "house/+", "MQTTRULES_TOPIC_PREFIX: 'house/+' is not a valid topic name: it must not contain '+', '#' or NUL")]
    [InlineData("MQTTRULES_TOPIC_PREFIX", "$SYS/x", "MQTTRULES_TOPIC_PREFIX: must not start with '$' nor end with '/'")]
    [InlineData("MQTTRULES_TLS_INSECURE", "maybe", "MQTTRULES_TLS_INSECURE: must be true/false, 1/0, yes/no or on/off, not 'maybe'")]
    public void Build_BadVariable_NamesVariableAndRange(string name, string value, string message)
    {
        var env = new Dictionary<string, string?> { [name] = value };

        var ex = Assert.Throws<ConfigException>(() => new EngineHostBuilder(NoRules)
            .Configure(o => o with { StatePath = "never-opened.db", Environment = env.GetValueOrDefault }).Build());

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Build_MaxSeriesZero_NamesVariable()
    {
        var ex = Assert.Throws<ConfigException>(() => new EngineHostBuilder(NoRules)
            .Configure(o => o with { MaxSeriesPerRule = 0, Environment = _ => null }).Build());

        Assert.Equal("MQTTRULES_MAX_SERIES: must be a whole number from 1 to 2147483647, not 0", ex.Message);
    }

    [Fact]
    public void Build_DrainTimeoutTooLong_NamesOption()
    {
        var ex = Assert.Throws<ConfigException>(() => new EngineHostBuilder(NoRules)
            .Configure(o => o with { PublishDrainTimeout = TimeSpan.FromSeconds(6), Environment = _ => null }).Build());

        Assert.Equal("PublishDrainTimeout: must be a duration from 0 ms to 5 seconds, not 6 seconds", ex.Message);
    }

    [Fact]
    public void Build_DemoOnExternalBroker_IsAConfigError()
    {
        var broker = MqttSettings.FromEnvironment("mqtt://127.0.0.1:1883", "c", _ => null);

        var ex = Assert.Throws<ConfigException>(() => new EngineHostBuilder(NoRules)
            .Configure(o => o with { Broker = broker, Demo = true, Environment = _ => null }).Build());

        Assert.StartsWith("--demo: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BadDeliveryOptions_RejectedBeforeAnythingOpens()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mqttrules-never-{Guid.NewGuid():N}.db");

        Assert.Throws<ConfigException>(() => new EngineHostBuilder(NoRules)
            .Configure(o => o with { StatePath = path, Delivery = new DeliveryOptions { MaxAttempts = 0 }, Environment = _ => null }).Build());

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Build_NoOptions_DefaultsToEmbeddedBrokerOnLoopbackAndNothingDurable()
    {
        var host = new EngineHostBuilder(NoRules).Configure(o => o with { Environment = _ => null }).Build();

        Assert.True(host.Options.Broker!.Broker.IsEmbedded);
        Assert.Equal(MqttSettings.DefaultEmbeddedListen, host.Options.Broker.EmbeddedListen);
        Assert.False(host.Options.Durable);
        Assert.Null(host.Options.Http);
    }

    [Fact]
    public void Build_TweetBudgetFromEnvironment_AppliedToDeliveryOptions()
    {
        var env = new Dictionary<string, string?> { ["MQTTRULES_TWEET_BUDGET"] = "7" };
        var settings = NotificationSettings.FromEnvironment(env.GetValueOrDefault, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Equal(7, settings.Delivery.TweetBudget);
    }

    [Fact]
    public void WholeRange_Check_InsideReturnsValue() => Assert.Equal(3, new WholeRange(1, 5).Check(3, "X"));

    [Theory]
    [InlineData(500, "500 ms")]
    [InlineData(30_000, "30 seconds")]
    [InlineData(90_000, "1.5 minutes")]
    [InlineData(172_800_000, "2 days")]
    public void DurationRange_Text_ReadsAsWritten(int ms, string text) =>
        Assert.Equal(text, DurationRange.Text(TimeSpan.FromMilliseconds(ms)));
}
