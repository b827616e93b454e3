using System.Net;
using Microsoft.Extensions.Time.Testing;
using MqttRules.Actions.Delivery;
using MqttRules.Actions.Telegram;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Actions.Telegram;

public class TelegramExecutorTests
{
    private const string Token = "123456:ABC-s3cret-token";

    private static Task<DeliveryResult> Deliver(StubHttp stub, TelegramAction action, string? defaultChat = "-100200") =>
        new TelegramExecutor(stub.Client(), new TelegramSettings(new Uri("https://tg.example"), Token, defaultChat), new FakeTimeProvider(TestActions.T0))
            .ExecuteAsync(action, CancellationToken.None);

    [Fact]
    public async Task Deliver_DefaultChat_PostsSendMessageWithChatIdAndText()
    {
        var stub = new StubHttp(HttpStatusCode.OK, "{\"ok\":true,\"result\":{\"message_id\":5}}");

        var result = await Deliver(stub, TestActions.Telegram());

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(stub.Requests);
        Assert.Equal($"https://tg.example/bot{Token}/sendMessage", request.Uri.ToString());
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"chat_id\":\"-100200\",\"text\":\"Freezer at -5 C\"}", request.Body);
        Assert.DoesNotContain(Token, result.Detail);
    }

    [Fact]
    public async Task Deliver_ChatIdInTheAction_WinsOverTheDefault()
    {
        var stub = new StubHttp();

        await Deliver(stub, TestActions.Telegram(chatId: "@house_channel"));

        Assert.Equal("@house_channel", stub.Last.Json.GetProperty("chat_id").GetString());
    }

    [Fact]
    public async Task Deliver_NoChatAnywhere_FinalNamingTheVariableWithoutARequest()
    {
        var stub = new StubHttp();

        var result = await Deliver(stub, TestActions.Telegram(), defaultChat: null);

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("TELEGRAM_CHAT_ID", result.Detail);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task Deliver_429WithRetryAfterParameter_HoldsTheLaneThatManySeconds()
    {
        // The shape of Telegram's flood-control answer (core.telegram.org/bots/api#responseparameters).
        var stub = new StubHttp(HttpStatusCode.TooManyRequests, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 35\",\"parameters\":{\"retry_after\":35}}");

        var result = await Deliver(stub, TestActions.Telegram());

        Assert.Equal(DeliveryOutcome.Retry, result.Outcome);
        Assert.True(result.HoldsLane);
        Assert.Equal(TestActions.T0.AddSeconds(35), result.RetryAt);
        Assert.Contains("retry after 35", result.Detail);
    }

    [Fact]
    public async Task Deliver_401_FinalNamingTheVariableNeverTheToken()
    {
        var stub = new StubHttp(HttpStatusCode.Unauthorized, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");

        var result = await Deliver(stub, TestActions.Telegram());

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("TELEGRAM_BOT_TOKEN", result.Detail);
        Assert.DoesNotContain(Token, result.Detail);
    }

    [Fact]
    public async Task Deliver_ChatNotFound_FinalWithTelegramsDescription()
    {
        var stub = new StubHttp(HttpStatusCode.BadRequest, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}");

        var result = await Deliver(stub, TestActions.Telegram());

        Assert.Equal(DeliveryOutcome.Final, result.Outcome);
        Assert.Contains("chat not found", result.Detail);
    }

    [Fact]
    public async Task Deliver_LongText_ShortenedTo4096WithEllipsis()
    {
        var stub = new StubHttp();

        await Deliver(stub, TestActions.Telegram(new string('x', 5000)));

        var text = stub.Last.Json.GetProperty("text").GetString()!;
        Assert.Equal(TelegramAction.MaxLength, text.Length);
        Assert.EndsWith("…", text);
    }

    [Theory]
    [InlineData("123:abc/def")]
    [InlineData("123 abc")]
    public void Settings_TokenThatWouldChangeTheUrl_ConfigErrorWithoutTheToken(string token)
    {
        var env = new MqttRules.Configuration.Secrets(n => n == "TELEGRAM_BOT_TOKEN" ? token : null);

        var ex = Assert.Throws<MqttRules.Configuration.ConfigException>(() => TelegramSettings.From(env));

        Assert.Contains("TELEGRAM_BOT_TOKEN", ex.Message);
        Assert.DoesNotContain(token, ex.Message);
    }
}
