using MqttRules.Expressions;
using MqttRules.Rules;
using YamlDotNet.Core;

namespace MqttRules.Loading;

/// <summary>
/// Loads every <c>*.yaml</c>/<c>*.yml</c> file under a path, collecting every problem in one pass.
/// The only public entry to YAML: everything after it sees validated <see cref="Rule"/> records.
/// </summary>
public static class RuleLoader
{
    public static readonly string[] FileKeys = ["rules", "notifiers"];

    /// <summary>The largest rule file read; a larger one is refused before it is read into memory.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    public static LoadResult Load(string path, Func<string, string?>? env = null) => Load([path], env);

    /// <summary>Loads the rule files of several paths as one set (a rule test's <c>rules:</c> list).</summary>
    public static LoadResult Load(IReadOnlyList<string> paths, Func<string, string?>? env = null)
    {
        env ??= Configuration.Secrets.Process;
        var problems = new List<Problem>();
        var files = paths.SelectMany(p => FindFiles(p, problems)).Distinct(StringComparer.Ordinal).ToList();
        var path = paths.Count == 1 ? paths[0] : string.Join(", ", paths);
        var parsed = new List<(FileContext File, MappingReader Top)>();
        var notifiers = new NotifierTable();
        foreach (var f in files)
        {
            Guard(f, problems, () =>
            {
                if (Parse(f, env, problems) is { } p)
                {
                    parsed.Add(p);
                    ReadNotifiers(p.File, p.Top, notifiers);
                }
            });
        }

        var rules = new List<Rule>();
        var ids = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var history = new HashSet<HistoryKey>();
        foreach (var (file, top) in parsed)
        {
            Guard(file.File, problems, () => ReadRules(file, top, notifiers, rules, ids, history));
        }

        Guard(path, problems, notifiers.CheckAll);
        var fileOrder = files.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        var distinct = problems.Distinct()
            .OrderBy(p => fileOrder.GetValueOrDefault(p.Location.File, -1))
            .ThenBy(p => p.Location.Line)
            .ThenBy(p => p.Location.Column)
            .ToList();
        return new LoadResult(new RuleSet(rules, files.Count) { HistoryKeys = history }, distinct, files.Count);
    }

    /// <summary>Loads rules from YAML text (tests, tools); <paramref name="name"/> is used in messages.</summary>
    public static LoadResult LoadText(string yaml, string name = "rules.yaml", Func<string, string?>? env = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mqttrules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, name);
            File.WriteAllText(file, yaml);
            var result = Load(file, env);
            return result with { Problems = result.Problems.Select(p => p with { Location = p.Location with { File = name } }).ToList() };
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Rule tests (<c>*.test.yaml</c>) may sit beside the rules they test; a folder's rules leave them out.</summary>
    public static bool IsTestFile(string path) =>
        path.EndsWith(".test.yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".test.yml", StringComparison.OrdinalIgnoreCase);

    private static List<string> FindFiles(string path, List<Problem> problems)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            problems.Add(new Problem(new SourceLocation(path, 0, 0), "no such file or folder; point --rules (or MQTTRULES_RULES) at a rule file or a folder of them"));
            return [];
        }

        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) && !IsTestFile(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            problems.Add(new Problem(new SourceLocation(path, 0, 0), "no rule files (*.yaml, *.yml) in this folder"));
        }

        return files;
    }

    private static (FileContext File, MappingReader Top)? Parse(string path, Func<string, string?> env, List<Problem> problems)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxFileBytes)
            {
                problems.Add(new Problem(new SourceLocation(path, 1, 1), $"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB; split the rules over several files"));
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new Problem(new SourceLocation(path, 0, 0), $"cannot read the file: {ex.Message}"));
            return null;
        }

        if (RuleFileText.Decode(path, bytes, problems) is not { } text)
        {
            return null;
        }

        var file = new FileContext(path, text, env, problems);
        YNode? root;
        try
        {
            root = YamlTree.Read(text, (mark, message) => problems.Add(new Problem(file.Loc(mark), message)));
        }
        catch (YamlException ex)
        {
            problems.Add(new Problem(file.Loc(ex.Start), $"YAML syntax error: {Clean(ex)}"));
            return null;
        }

        if (root is null || (root is YScalar s && s.IsNull))
        {
            problems.Add(new Problem(new SourceLocation(path, 1, 1), "the file is empty; a rule file is a mapping with 'rules:' (a list of rules)"));
            return null;
        }

        if (root is not YMapping map)
        {
            file.Problem(root, "a rule file is a mapping with 'rules:' (a list of rules) and optionally 'notifiers:'");
            return null;
        }

        var top = new MappingReader(file, map, "rule file", FileKeys);
        if (!top.Has("rules"))
        {
            file.Problem(map, "missing 'rules:' (a list of rules)");
        }

        return (file, top);
    }

    private static void ReadNotifiers(FileContext file, MappingReader top, NotifierTable notifiers)
    {
        switch (top["notifiers"])
        {
            case null:
                return;
            case YMapping map:
                foreach (var (name, body) in map.Entries)
                {
                    notifiers.Add(file, name, body);
                }

                return;
            case var other:
                file.Problem(other, "'notifiers' is a mapping of names to actions, such as 'ops: { webhook: { url: ... } }'");
                return;
        }
    }

    private static void ReadRules(FileContext file, MappingReader top, NotifierTable notifiers, List<Rule> rules, Dictionary<string, SourceLocation> ids, HashSet<HistoryKey> history)
    {
        switch (top["rules"])
        {
            case null:
                return;
            case YSequence seq:
                var reader = new RuleReader(file, notifiers);
                foreach (var item in seq.Items)
                {
                    if (reader.Read(item) is not { } rule)
                    {
                        continue;
                    }

                    if (ids.TryGetValue(rule.Id, out var first))
                    {
                        file.Problem(((YMapping)item).Entries.First(e => e.Key.Value == "id").Value, $"duplicate rule id '{rule.Id}' (first defined at {first}); rule ids are unique across all files");
                        continue;
                    }

                    ids[rule.Id] = rule.Location;
                    rules.Add(rule);
                }

                history.UnionWith(reader.HistoryKeys);
                return;
            case YScalar s when s.IsNull:
                return;
            case var other:
                file.Problem(other, "'rules' must be a list of rules, each starting with '- id: ...'");
                return;
        }
    }

    /// <summary>
    /// The loader's last line of defence: a failure nobody foresaw while reading a file becomes a
    /// problem of that file (so <c>validate</c> and <c>run</c> exit 1 with one line), not a crash.
    /// </summary>
    private static void Guard(string file, List<Problem> problems, Action read)
    {
        try
        {
            read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            problems.Add(new Problem(new SourceLocation(file, 1, 1), $"this file could not be read ({ex.GetType().Name}: {ex.Message}); please report it with the file"));
        }
    }

    private static string Clean(YamlException ex)
    {
        var message = (ex.InnerException ?? ex).Message;
        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return paren >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(paren + 3)..] : message;
    }
}
