using System.Text;
using System.Text.RegularExpressions;
using MqttRules.Expressions;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Expressions;

/// <summary>
/// <c>like</c>: <c>%</c> any run, <c>_</c> one character, case ignored; matched without
/// backtracking (issue 10, point 5: one pattern took up to 100 ms a message).
/// </summary>
public class LikeTests
{
    [Theory]
    [InlineData("Kitchen", "kit%", true)]
    [InlineData("kitchen", "%CHEN", true)]
    [InlineData("kitchen", "k_tchen", true)]
    [InlineData("kitchen", "k_chen", false)]
    [InlineData("kitchen", "%", true)]
    [InlineData("", "%", true)]
    [InlineData("", "", true)]
    [InlineData("a", "", false)]
    [InlineData("abc", "a%c%", true)]
    [InlineData("abc", "%b%", true)]
    [InlineData("ab", "a%b%b", false)]
    [InlineData("a.c", "a.c", true)]
    [InlineData("abc", "a.c", false)]
    [InlineData("a(b)*", "a(b)*", true)]
    [InlineData("line\nbreak", "line_break", true)]
    public void IsMatch_Table(string text, string pattern, bool expected)
    {
        Assert.Equal(expected, LikePattern.Compile(pattern).IsMatch(text));
    }

    [Fact]
    public void IsMatch_HostilePattern_RightAnswer()
    {
        var text = new string('a', 100_000);

        Assert.False(LikePattern.Compile("%a%a%a%a%a%b").IsMatch(text));
        Assert.True(LikePattern.Compile("%a%a%a%a%a%a").IsMatch(text));
        Assert.False(LikePattern.Compile(string.Concat(Enumerable.Repeat("%_", 50)) + "b").IsMatch(text));
    }

    [Fact]
    public void Evaluate_HostileInputInAnExpression_DecidedNotAnError()
    {
        var payload = "{\"name\": \"" + new string('a', 50_000) + "\"}";

        Assert.Equal("false", Expr.Show(Expr.Eval("name like '%a%a%a%a%a%a%a%a%b'", payload)));
        Assert.Equal("true", Expr.Show(Expr.Eval("name not like '%a%a%a%a%a%b'", payload)));
    }

    /// <summary>
    /// Issue 10: s = 300,000 × 'a' with p = '%' + 'a_' × 15,000 + 'b%' from the payload took 7.7 s.
    /// Text length × the longest piece between '%' over the budget gives no answer instead.
    /// </summary>
    [Fact]
    public void Evaluate_PatternFromPayloadOverTheBudget_NoAnswer()
    {
        var pattern = "%" + string.Concat(Enumerable.Repeat("a_", 15_000)) + "b%";
        var payload = "{\"s\": \"" + new string('a', 300_000) + "\", \"p\": \"" + pattern + "\"}";

        Assert.False(LikePattern.Compile(pattern).WithinBudget(300_000));
        Assert.Equal("MISSING", Expr.Show(Expr.Eval("s like p", payload)));
        Assert.Equal("MISSING", Expr.Show(Expr.Eval("s not like p", payload)));
    }

    [Theory]
    [InlineData(3_333_333, "%abc%", true)]
    [InlineData(3_333_334, "%abc%", false)]
    [InlineData(10_000_000, "abc%xyz", true)]      // no piece between '%': one step per character
    [InlineData(10_000_001, "abc%xyz", false)]
    public void WithinBudget_TextLengthTimesLongestInnerPiece(int textLength, string pattern, bool within)
    {
        Assert.Equal(within, LikePattern.Compile(pattern).WithinBudget(textLength));
    }

    /// <summary>
    /// Seeded: random texts and patterns over a small alphabet, against the regular expression the
    /// old implementation built (anchored with \z: its '$' also matched before a final line break).
    /// </summary>
    [Fact]
    public void IsMatch_RandomCases_AgreeWithARegexReference()
    {
        var random = new Random(20261205);
        for (var n = 0; n < 5000; n++)
        {
            var text = RandomText(random, "abAB.\n", random.Next(0, 12));
            var pattern = RandomText(random, "abB%_.", random.Next(0, 8));

            Assert.True(Reference(text, pattern) == LikePattern.Compile(pattern).IsMatch(text), $"'{text}' like '{pattern}'");
        }
    }

    private static bool Reference(string text, string pattern)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + @"\z";
        return Regex.IsMatch(text, regex, RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return sb.ToString();
    }
}
