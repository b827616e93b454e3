using System.Text.RegularExpressions;

namespace MqttRules.Tests.Architecture;

/// <summary>
/// The import graph between the top-level folders of src/MqttRules, read from the source: a
/// folder imports another when one of its files has <c>using MqttRules.X</c>, names
/// <c>MqttRules.X.</c> fully, or writes <c>X.Type</c> for a type declared in X. Comments, strings
/// and <c>namespace</c> lines are left out. Subfolders (Actions/Tweet) belong to their top folder.
/// </summary>
internal sealed partial class FolderGraph
{
    private FolderGraph(IReadOnlyDictionary<string, SortedSet<string>> imports) => Imports = imports;

    /// <summary>Each folder and the folders it imports.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Imports { get; }

    public static FolderGraph Read(string sourceRoot)
    {
        var files = Directory.EnumerateDirectories(sourceRoot)
            .Where(d => Path.GetFileName(d) is not ("bin" or "obj"))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(f => (Folder: Path.GetFileName(d), Code: Code(File.ReadAllText(f)))))
            .ToList();
        var types = files.GroupBy(f => f.Folder).ToDictionary(
            g => g.Key,
            g => g.SelectMany(f => Declaration().Matches(f.Code).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal));
        var imports = types.Keys.ToDictionary(k => k, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (var (folder, code) in files)
        {
            var named = FullName().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(PartialName().Matches(code)
                    .Where(m => types.TryGetValue(m.Groups[1].Value, out var declared) && declared.Contains(m.Groups[2].Value))
                    .Select(m => m.Groups[1].Value));
            imports[folder].UnionWith(named.Where(n => n != folder && types.ContainsKey(n)));
        }

        return new FolderGraph(imports);
    }

    /// <summary>The groups of two or more folders that import each other, directly or around a loop (Tarjan's strongly connected components).</summary>
    public IReadOnlyList<string> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<string>();
        foreach (var folder in Imports.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder, index, low, stack, cycles);
            }
        }

        return cycles.Order(StringComparer.Ordinal).ToList();
    }

    private void Visit(string v, Dictionary<string, int> index, Dictionary<string, int> low, Stack<string> stack, List<string> cycles)
    {
        index[v] = low[v] = index.Count;
        stack.Push(v);
        foreach (var w in Imports[v])
        {
            if (!index.TryGetValue(w, out var wIndex))
            {
                Visit(w, index, low, stack, cycles);
                low[v] = Math.Min(low[v], low[w]);
            }
            else if (stack.Contains(w))
            {
                low[v] = Math.Min(low[v], wIndex);
            }
        }

        if (low[v] == index[v])
        {
            var group = new List<string>();
            string w;
            do
            {
                w = stack.Pop();
                group.Add(w);
            }
            while (w != v);

            if (group.Count > 1)
            {
                cycles.Add(string.Join(" <-> ", group.Order(StringComparer.Ordinal)));
            }
        }
    }

    public override string ToString() =>
        string.Join(Environment.NewLine, Imports.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key,-14} -> {(p.Value.Count == 0 ? "(nothing)" : string.Join(", ", p.Value))}"));

    /// <summary>The code of a file without comments, string and char literals, and its namespace line.</summary>
    private static string Code(string text) => NamespaceLine().Replace(NotCode().Replace(text, " "), "");

    [GeneratedRegex(@"//[^\n]*|/\*[\s\S]*?\*/|""""""[\s\S]*?""""""|@\$?""(?:[^""]|"""")*""|\$?""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])+'")]
    private static partial Regex NotCode();

    [GeneratedRegex(@"^\s*namespace [\w.]+\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"\b(?:record\s+(?:struct|class)|class|struct|record|interface|enum|delegate\s+[\w.?]+(?:<[^>]*>)?)\s+(\w+)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\bMqttRules\.(\w+)")]
    private static partial Regex FullName();

    [GeneratedRegex(@"(?<![\w.])(\w+)\.(\w+)")]
    private static partial Regex PartialName();
}
