namespace MqttRules.Topics;

/// <summary>
/// A trie over filter levels: routing a topic costs one walk of its levels, however many
/// filters there are. Follows MQTT: <c>+</c> matches one level (also an empty one), <c>#</c>
/// the rest (including the parent), and topics starting with <c>$</c> are not matched by a
/// leading wildcard. Not thread-safe for writes; build it, then match from one thread.
/// </summary>
internal sealed class TopicIndex<T>
{
    private readonly Node root = new();
    private readonly HashSet<string> levelNames = new(StringComparer.Ordinal);

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
                _ => node.Child(Shared(level)),
            };
        }

        node.AddItem(item);
        Count++;
    }

    /// <summary>One string per level name (10,000 filters ending in /water share one "water").</summary>
    private string Shared(string level)
    {
        if (levelNames.TryGetValue(level, out var known))
        {
            return known;
        }

        levelNames.Add(level);
        return level;
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
            node.Hash.AddItemsTo(results);
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
            next.AddItemsTo(results);
            next.Hash?.AddItemsTo(results);
        }
        else
        {
            Walk(next, remaining, depth + 1, results, dollar);
        }
    }

    /// <summary>
    /// A level of the trie. Most nodes have one exact child (home/m17 → water), kept inline;
    /// a dictionary is made only for the second, which keeps a large index small and cache-friendly.
    /// Likewise most leaves hold one item (one rule per concrete topic), kept inline: a list is
    /// made only for the second.
    /// </summary>
    private sealed class Node
    {
        private string? onlyLevel;
        private Node? onlyChild;
        private Dictionary<string, Node>? children;
        private Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> lookup;

        public Node? Plus { get; set; }
        public Node? Hash { get; set; }
        private T? onlyItem;
        private bool hasItem;
        private List<T>? items;

        public void AddItem(T item)
        {
            if (items is not null)
            {
                items.Add(item);
            }
            else if (!hasItem)
            {
                onlyItem = item;
                hasItem = true;
            }
            else
            {
                items = [onlyItem!, item];
                onlyItem = default;
            }
        }

        /// <summary>Adds this node's items, in the order they were added.</summary>
        public void AddItemsTo(List<T> results)
        {
            if (items is not null)
            {
                results.AddRange(items);
            }
            else if (hasItem)
            {
                results.Add(onlyItem!);
            }
        }

        public Node Child(string level)
        {
            if (children is null)
            {
                if (onlyLevel is null)
                {
                    onlyLevel = level;
                    onlyChild = new Node();
                    return onlyChild;
                }

                if (onlyLevel == level)
                {
                    return onlyChild!;
                }

                children = new Dictionary<string, Node>(StringComparer.Ordinal) { [onlyLevel] = onlyChild! };
                lookup = children.GetAlternateLookup<ReadOnlySpan<char>>();
                onlyLevel = null;
                onlyChild = null;
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
                child = onlyChild!;
                return onlyLevel is not null && level.SequenceEqual(onlyLevel);
            }

            return lookup.TryGetValue(level, out child!);
        }
    }
}
