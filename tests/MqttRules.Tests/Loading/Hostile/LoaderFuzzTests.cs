using System.Text;
using MqttRules.Loading;
using MqttRules.Tests.Support;

namespace MqttRules.Tests.Loading.Hostile;

/// <summary>
/// Issue 10, point 3: seeded generated rule files (a valid file with characters flipped,
/// inserted and cut, YAML punctuation, anchors, deep nesting, bad bytes). The loader never throws
/// and every problem has FILE:LINE:COL; the loader's catch-all is never what answered.
/// </summary>
public class LoaderFuzzTests
{
    private const string Valid = """
        notifiers:
          ops: &ops { webhook: { url: "http://127.0.0.1:9/hook", body: { text: "{{topic}} {{value}}" } } }
        rules:
          - id: burst
            topic: home/{room}/water
            value: lpm
            when: value > 12 and room like 'ma%'
            clear: value < 2
            for: 5m
            cooldown: 1h
            actions:
              - publish: { topic: "valves/{{room}}/set", payload: CLOSE }
              - notify: { to: ops, message: "burst at {{room}}" }
              - log: "{{room}} at {{value}} lpm, last {{last('home/main/water', 'lpm')}}"
          - id: quiet
            topic: sensors/+/temp
            absent: 10m
            actions: [ { log: quiet }, *ops ]
        """;

    private const string Noise = "{}[]:,-&*!|>'\"#%@`?\n\t \\$";

    [Fact]
    public void Load_GeneratedFiles_NeverThrowAndEveryProblemHasAPosition()
    {
        var random = new Random(31337);
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "fuzz.yaml");
        var failing = 0;
        for (var n = 0; n < 2000; n++)
        {
            File.WriteAllBytes(path, Generate(random));
            var result = RuleLoader.Load(path, _ => null);
            foreach (var problem in result.Problems)
            {
                Assert.Equal(path, problem.Location.File);
                Assert.True(problem.Location.Line >= 1 && problem.Location.Column >= 1, $"input {n}: no position: {problem}");
                Assert.DoesNotContain("could not be read (", problem.Message, StringComparison.Ordinal);
            }

            failing += result.Ok ? 0 : 1;
        }

        Assert.InRange(failing, 200, 1990);
    }

    private static byte[] Generate(Random random)
    {
        var text = new StringBuilder(Valid);
        for (var edits = random.Next(1, 5); edits > 0 && text.Length > 0; edits--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(6))
            {
                case 0:
                    text[at] = Noise[random.Next(Noise.Length)];
                    break;
                case 1:
                    text.Insert(at, Noise[random.Next(Noise.Length)]);
                    break;
                case 2:
                    text.Length = at;
                    break;
                case 3:
                    text.Insert(at, string.Concat(Enumerable.Repeat(random.Next(2) == 0 ? "[" : "{a: ", random.Next(1, 300))));
                    break;
                case 4:
                    text.Insert(at, random.Next(2) == 0 ? " &x " : " *ops ");
                    break;
                default:
                    text.Insert(at, random.Next(2) == 0 ? "500000w" : "99999999999999999999");
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (random.Next(10) == 0 && bytes.Length > 0)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
        }

        return bytes;
    }
}
