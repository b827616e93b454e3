using System.Globalization;
using System.Xml.Linq;
using MqttRules.Loading;

namespace MqttRules.Testing;

/// <summary>What <c>mqttrules test</c> prints: a line per case, the differences of a failed one, a summary; JUnit XML for CI.</summary>
public static class RuleTestReport
{
    public static string Where(RuleTestCase test) => test.Location.Line == 0 ? test.Location.File : test.Location.ToString();

    public static void Write(TextWriter output, RuleTestResult result)
    {
        output.WriteLine($"{(result.Passed ? "PASS" : "FAIL")} {Where(result.Case)}  {result.Case.Name}");
        foreach (var failure in result.Failures)
        {
            output.WriteLine($"     {failure}");
        }
    }

    /// <summary><c>N tests: P passed, F failed</c>; test files that could not be read count as failed.</summary>
    public static string Summary(IReadOnlyList<RuleTestResult> results, IReadOnlyList<Problem> problems)
    {
        var passed = results.Count(r => r.Passed);
        var failed = results.Count - passed;
        var broken = problems.Count == 0 ? "" : $", {problems.Count} problems in test files";
        return $"{results.Count} tests: {passed} passed, {failed} failed{broken}";
    }

    /// <summary>JUnit XML (one suite per test file or sample folder), as CI systems read it.</summary>
    public static void WriteJUnit(string path, IReadOnlyList<RuleTestResult> results, IReadOnlyList<Problem> problems)
    {
        var suites = new XElement("testsuites");
        foreach (var group in results.GroupBy(r => r.Case.Location.File, StringComparer.Ordinal))
        {
            var suite = new XElement("testsuite",
                new XAttribute("name", group.Key),
                new XAttribute("tests", group.Count()),
                new XAttribute("failures", group.Count(r => !r.Passed)));
            foreach (var r in group)
            {
                var testcase = new XElement("testcase", new XAttribute("classname", group.Key), new XAttribute("name", r.Case.Name));
                if (!r.Passed)
                {
                    testcase.Add(new XElement("failure", new XAttribute("message", r.Failures[0]), string.Join('\n', r.Failures)));
                }

                suite.Add(testcase);
            }

            suites.Add(suite);
        }

        if (problems.Count > 0)
        {
            var suite = new XElement("testsuite", new XAttribute("name", "test files"), new XAttribute("tests", problems.Count), new XAttribute("errors", problems.Count));
            foreach (var p in problems)
            {
                suite.Add(new XElement("testcase", new XAttribute("classname", p.Location.File), new XAttribute("name", p.Location.ToString()),
                    new XElement("error", new XAttribute("message", p.Message))));
            }

            suites.Add(suite);
        }

        suites.SetAttributeValue("tests", (results.Count + problems.Count).ToString(CultureInfo.InvariantCulture));
        using var writer = System.Xml.XmlWriter.Create(path, new System.Xml.XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) });
        new XDocument(suites).Save(writer);
    }
}
