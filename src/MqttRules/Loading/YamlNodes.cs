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

/// <summary>Builds <see cref="YNode"/> trees from YamlDotNet's parser events, resolving aliases.</summary>
internal static class YamlTree
{
    /// <summary>Reads the first document; throws <see cref="YamlException"/> on a syntax error.</summary>
    public static YNode? Read(string text, Action<Mark, string> problem)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        parser.Consume<StreamStart>();
        if (!parser.Accept<DocumentStart>(out _))
        {
            return null;
        }

        parser.Consume<DocumentStart>();
        var root = ReadNode(parser, anchors, problem);
        parser.Consume<DocumentEnd>();
        if (parser.Accept<DocumentStart>(out var second))
        {
            problem(second.Start, "only one YAML document is read per file; remove the '---' and what follows, or move it to another file");
        }

        return root;
    }

    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors, Action<Mark, string> problem)
    {
        switch (parser.Current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                problem(alias.Start, $"unknown alias '*{alias.Value.Value}'");
                return new YScalar(alias.Start, "", ScalarStyle.Plain);
            case Scalar scalar:
                parser.MoveNext();
                var s = new YScalar(scalar.Start, scalar.Value, scalar.Style);
                Anchor(scalar.Anchor, s, anchors);
                return s;
            case SequenceStart seqStart:
            {
                parser.MoveNext();
                var items = new List<YNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, anchors, problem));
                }

                var seq = new YSequence(seqStart.Start, items);
                Anchor(seqStart.Anchor, seq, anchors);
                return seq;
            }

            case MappingStart mapStart:
            {
                parser.MoveNext();
                var entries = new List<KeyValuePair<YScalar, YNode>>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(parser, anchors, problem);
                    var value = ReadNode(parser, anchors, problem);
                    if (keyNode is YScalar key)
                    {
                        entries.Add(new(key, value));
                    }
                    else
                    {
                        problem(keyNode.Start, "a key must be a plain name, not a list or mapping");
                    }
                }

                var map = new YMapping(mapStart.Start, entries);
                Anchor(mapStart.Anchor, map, anchors);
                return map;
            }

            default:
                throw new YamlException(parser.Current!.Start, parser.Current.End, $"unexpected YAML element {parser.Current.GetType().Name}");
        }
    }

    private static void Anchor(YamlDotNet.Core.AnchorName anchor, YNode node, Dictionary<string, YNode> anchors)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }
}
