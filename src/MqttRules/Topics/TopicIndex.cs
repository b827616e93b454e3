namespace MqttRules.Topics;

/// <summary>
/// A trie over filter levels: routing a topic costs one walk of its levels, however many
/// filters there are. Follows MQTT: <c>+</c> matches one level (also an empty one), <c>#</c>
/// the rest (including the parent), and topics starting with <c>$</c> are not matched by a
/// leading wildcard. Not thread-safe for writes; build it, then match from one thread.
/// </summary>
public sealed class TopicIndex<T>
{
    private readonly Node root = new();

    public int Count { get; private set; }

    public void Add(string filter, T item)
    {
        var node = root;
        foreach (var level in filter.Split('/'))
        {
            node = level switch
            {
                "+" => node.Plus ??= new Node(),
                "#" => node.Hash ??= new Node(),
                _ => node.Child(level),
            };
        }

        node.Items.Add(item);
        Count++;
    }

    /// <summary>Adds every item whose filter matches <paramref name="topic"/> to <paramref name="results"/>.</summary>
    public void Match(string topic, List<T> results)
    {
        var dollar = topic.Length > 0 && topic[0] == '$';
        Walk(root, topic.AsSpan(), 0, results, dollar);
    }

    private static void Walk(Node node, ReadOnlySpan<char> rest, int depth, List<T> results, bool dollar)
    {
        var wildcardsAllowed = !(dollar && depth == 0);
        if (wildcardsAllowed && node.Hash is not null)
        {
            results.AddRange(node.Hash.Items);
        }

        var slash = rest.IndexOf('/');
        var level = slash < 0 ? rest : rest[..slash];
        var last = slash < 0;
        var remaining = last ? default : rest[(slash + 1)..];

        if (node.TryGetChild(level, out var exact))
        {
            Step(exact, remaining, last, depth, results, dollar);
        }

        if (wildcardsAllowed && node.Plus is not null)
        {
            Step(node.Plus, remaining, last, depth, results, dollar);
        }
    }

    private static void Step(Node next, ReadOnlySpan<char> remaining, bool last, int depth, List<T> results, bool dollar)
    {
        if (last)
        {
            results.AddRange(next.Items);
            if (next.Hash is not null)
            {
                results.AddRange(next.Hash.Items);
            }
        }
        else
        {
            Walk(next, remaining, depth + 1, results, dollar);
        }
    }

    private sealed class Node
    {
        private Dictionary<string, Node>? children;
        private Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> lookup;

        public Node? Plus { get; set; }
        public Node? Hash { get; set; }
        public List<T> Items { get; } = [];

        public Node Child(string level)
        {
            if (children is null)
            {
                children = new Dictionary<string, Node>(StringComparer.Ordinal);
                lookup = children.GetAlternateLookup<ReadOnlySpan<char>>();
            }

            if (!children.TryGetValue(level, out var node))
            {
                node = new Node();
                children[level] = node;
            }

            return node;
        }

        public bool TryGetChild(ReadOnlySpan<char> level, out Node child)
        {
            if (children is null)
            {
                child = null!;
                return false;
            }

            return lookup.TryGetValue(level, out child!);
        }
    }
}
