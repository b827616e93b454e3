using MqttRules.Actions.Tweet;

namespace MqttRules.Tests.Actions.Tweet;

public class OAuth1SignerTests
{
    // The worked example of docs.x.com "Creating a signature" (api-notes §5).
    internal static readonly XCredentials DocsCredentials = new(
        "xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
        "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");

    private const string Nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
    private const long Timestamp = 1318622958;
    private static readonly KeyValuePair<string, string>[] Form = [new("status", "Hello Ladies + Gentlemen, a signed OAuth request!")];

    private static KeyValuePair<string, string>[] OAuthParams() =>
    [
        new("oauth_consumer_key", DocsCredentials.ConsumerKey), new("oauth_nonce", Nonce), new("oauth_signature_method", "HMAC-SHA1"),
        new("oauth_timestamp", "1318622958"), new("oauth_token", DocsCredentials.AccessToken), new("oauth_version", "1.0"),
    ];

    [Fact]
    public void Sign_DocsExampleV11_GivesPublishedSignature()
    {
        var url = new Uri("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");
        var signer = new OAuth1Signer(DocsCredentials);

        var signature = signer.Sign(OAuth1Signer.BaseString("POST", url, OAuthParams().Concat(Form)));

        Assert.Equal("hCtSmYh+iHYCEqBWrE7C7hYmtUk=", signature);
    }

    [Fact]
    public void Sign_DocsExampleOriginalV1Url_GivesSignatureInDocsHeader()
    {
        var url = new Uri("https://api.twitter.com/1/statuses/update.json?include_entities=true");

        var signature = new OAuth1Signer(DocsCredentials).Sign(OAuth1Signer.BaseString("POST", url, OAuthParams().Concat(Form)));

        Assert.Equal("tnnArxj06cWHq44gCs1OSKk/jLY=", signature);
    }

    [Fact]
    public void BaseString_DocsExample_MatchesDocsPrefixAndEncodesTwice()
    {
        var url = new Uri("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");

        var baseString = OAuth1Signer.BaseString("post", url, OAuthParams().Concat(Form));

        Assert.StartsWith("POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog", baseString);
        Assert.EndsWith("%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521", baseString);
    }

    [Fact]
    public void AuthorizationParameter_DocsExample_CarriesEncodedSignatureAndAllOAuthFields()
    {
        var url = new Uri("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");

        var header = new OAuth1Signer(DocsCredentials).AuthorizationParameter("POST", url, Nonce, Timestamp, Form);

        Assert.Contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"", header);
        Assert.Contains("oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\"", header);
        Assert.Contains("oauth_signature_method=\"HMAC-SHA1\"", header);
        Assert.Contains("oauth_timestamp=\"1318622958\"", header);
        Assert.Contains("oauth_version=\"1.0\"", header);
        Assert.DoesNotContain(DocsCredentials.ConsumerSecret, header);
        Assert.DoesNotContain(DocsCredentials.AccessTokenSecret, header);
    }

    [Theory]
    [InlineData("abcXYZ019-._~", "abcXYZ019-._~")]
    [InlineData("a b", "a%20b")]
    [InlineData("!*'()", "%21%2A%27%28%29")]
    [InlineData("+&=/", "%2B%26%3D%2F")]
    [InlineData("é", "%C3%A9")]
    [InlineData("☃", "%E2%98%83")]
    public void Encode_Rfc3986_EncodesEverythingButUnreserved(string input, string expected) =>
        Assert.Equal(expected, OAuth1Signer.Encode(input));

    [Fact]
    public void NewNonce_TwoCalls_DifferAndAreAlphanumeric()
    {
        var a = OAuth1Signer.NewNonce();
        var b = OAuth1Signer.NewNonce();

        Assert.NotEqual(a, b);
        Assert.Matches("^[0-9A-F]{32}$", a);
    }

    [Fact]
    public void ToString_Credentials_HidesSecrets() =>
        Assert.DoesNotContain("kAcSOq", DocsCredentials.ToString());
}
