using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MqttRules.Loading;

/// <summary>A YAML node with the position it was read from. Only <c>Loading/</c> sees YAML.</summary>
internal abstract record YNode(Mark Start);

internal sealed record YScalar(Mark Start, string Value, ScalarStyle Style) : YNode(Start)
{
    public bool IsPlain => Style == ScalarStyle.Plain;

    /// <summary>A plain <c>null</c>, <c>~</c> or empty value.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed record YSequence(Mark Start, IReadOnlyList<YNode> Items) : YNode(Start);

internal sealed record YMapping(Mark Start, IReadOnlyList<KeyValuePair<YScalar, YNode>> Entries) : YNode(Start);

/// <summary>
/// Builds <see cref="YNode"/> trees from YamlDotNet's parser events, resolving aliases. Hostile
/// files are bounded: nesting deeper than <see cref="MaxDepth"/> levels, or more than
/// <see cref="MaxNodes"/> nodes once aliases are expanded ("billion laughs"), stop the file with
/// a syntax error at the offending position, before anything walks the tree.
/// </summary>
internal static class YamlTree
{
    /// <summary>Deepest nesting of lists and mappings a rule file may use.</summary>
    public const int MaxDepth = 100;

    /// <summary>Most nodes a file may hold, every alias counted as a copy of what it names.</summary>
    public const int MaxNodes = 1_000_000;

    /// <summary>Reads the first document; throws <see cref="YamlException"/> on a syntax error or a limit.</summary>
    public static YNode? Read(string text, Action<Mark, string> problem)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            return ReadDocument(parser, new TreeBuilder(parser, problem), problem);
        }
        catch (Exception ex) when (ex is not YamlException)
        {
            // YamlDotNet fails on some malformed input with other exceptions (an unclosed '{'
            // followed by a list item): report them as syntax errors after the last good element.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new YamlException(at, at, "the YAML cannot be read past this point; check brackets, quotes and indentation here");
        }
    }

    private static YNode? ReadDocument(Parser parser, TreeBuilder builder, Action<Mark, string> problem)
    {
        parser.Consume<StreamStart>();
        if (!parser.Accept<DocumentStart>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = builder.ReadNode(depth: 0);
        parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out var second))
        {
            problem(second.Start, "only one YAML document is read per file; remove the '---' and what follows, or move it to another file");
        }

        return root;
    }

    /// <summary>One file's tree under construction: anchors seen so far, with their expanded sizes.</summary>
    private sealed class TreeBuilder(IParser parser, Action<Mark, string> problem)
    {
        private readonly Dictionary<string, (YNode Node, long Size)> anchors = new(StringComparer.Ordinal);
        private long total;

        public YNode ReadNode(int depth) => parser.Current switch
        {
            AnchorAlias alias => ReadAlias(alias),
            Scalar scalar => ReadScalar(scalar),
            SequenceStart start => ReadSequence(start, Deeper(start, depth)),
            MappingStart start => ReadMapping(start, Deeper(start, depth)),
            var other => throw new YamlException(other!.Start, other.End, $"unexpected YAML element {other.GetType().Name}"),
        };

        private static int Deeper(ParsingEvent start, int depth) => depth < MaxDepth
            ? depth + 1
            : throw new YamlException(start.Start, start.End, $"nested more than {MaxDepth} levels deep; a rule file never needs this much nesting");

        private YNode ReadAlias(AnchorAlias alias)
        {
            parser.MoveNext();
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
            {
                problem(alias.Start, $"unknown alias '*{alias.Value.Value}'");
                return Count(new YScalar(alias.Start, "", ScalarStyle.Plain), 1, alias);
            }

            return Count(target.Node, target.Size, alias);
        }

        private YScalar ReadScalar(Scalar scalar)
        {
            parser.MoveNext();
            var s = Count(new YScalar(scalar.Start, scalar.Value, scalar.Style), 1, scalar);
            Anchor(scalar.Anchor, s, 1);
            return s;
        }

        private YSequence ReadSequence(SequenceStart start, int depth)
        {
            parser.MoveNext();
            var before = total;
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(depth));
            }

            var seq = Count(new YSequence(start.Start, items), 1, start);
            Anchor(start.Anchor, seq, total - before);
            return seq;
        }

        private YMapping ReadMapping(MappingStart start, int depth)
        {
            parser.MoveNext();
            var before = total;
            var entries = new List<KeyValuePair<YScalar, YNode>>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(depth);
                var value = ReadNode(depth);
                if (keyNode is YScalar key)
                {
                    entries.Add(new(key, value));
                }
                else
                {
                    problem(keyNode.Start, "a key must be a plain name, not a list or mapping");
                }
            }

            var map = Count(new YMapping(start.Start, entries), 1, start);
            Anchor(start.Anchor, map, total - before);
            return map;
        }

        /// <summary>Adds a node's expanded size to the file's total, stopping at <see cref="MaxNodes"/>.</summary>
        private T Count<T>(T node, long size, ParsingEvent at)
            where T : YNode
        {
            total += size;
            if (total > MaxNodes)
            {
                throw new YamlException(at.Start, at.End, $"the file expands to more than {MaxNodes} YAML nodes (aliases count as copies of what they name); use fewer or smaller aliases");
            }

            return node;
        }

        private void Anchor(AnchorName anchor, YNode node, long size)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = (node, size);
            }
        }
    }
}
