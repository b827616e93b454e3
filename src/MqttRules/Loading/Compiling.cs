using MqttRules.Expressions;

namespace MqttRules.Loading;

/// <summary>Compiles expressions and templates from YAML scalars, reporting errors at their place in the file.</summary>
internal static class Compiling
{
    public static CompiledExpression? Expression(FileContext file, YNode? node, string key, CompileScope scope)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YScalar s)
        {
            file.Problem(node, $"'{key}' must be an expression such as 'value > 30', not a list or mapping");
            return null;
        }

        var text = file.Text(s);
        if (file.IsUnresolved(s))
        {
            return null;
        }

        try
        {
            return file.Compiled.Expression(text, scope);
        }
        catch (ExpressionException ex)
        {
            file.Problem(file.Loc(s, ex.Offset), $"{file.Subject(key)}: {ex.Message}");
            return null;
        }
    }

    public static Template Template(FileContext file, YNode? node, string key, CompileScope scope, string fallback = "")
    {
        if (node is null)
        {
            return Expressions.Template.Constant(fallback);
        }

        if (node is not YScalar s)
        {
            file.Problem(node, $"'{key}' must be text, not a list or mapping");
            return Expressions.Template.Constant(fallback);
        }

        var text = s.IsNull ? "" : file.Text(s);
        if (file.IsUnresolved(s))
        {
            return Expressions.Template.Constant(text);
        }

        try
        {
            return file.Compiled.Template(text, scope);
        }
        catch (ExpressionException ex)
        {
            file.Problem(file.Loc(s, ex.Offset), $"{file.Subject(key)}: {ex.Message}");
            return Expressions.Template.Constant(text);
        }
    }

    /// <summary>A payload or body: a text template, or a mapping/list sent as JSON.</summary>
    public static Rules.ContentSpec Content(FileContext file, YNode node, string key, CompileScope scope) => node switch
    {
        YScalar => new Rules.TextContent(Template(file, node, key, scope)),
        _ => new Rules.JsonContent(Json(file, node, key, scope)),
    };

    private static KeyValuePair<string, JsonTemplateNode>[] Members(FileContext file, YMapping m, string key, CompileScope scope)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<KeyValuePair<string, JsonTemplateNode>>();
        foreach (var (k, v) in m.Entries)
        {
            var name = file.Text(k);
            if (!seen.Add(name))
            {
                file.Problem(k, $"duplicate key '{name}' in '{key}'");
                continue;
            }

            members.Add(new(name, Json(file, v, key, scope)));
        }

        return [.. members];
    }

    private static JsonTemplateNode Json(FileContext file, YNode node, string key, CompileScope scope) => node switch
    {
        YMapping m => new JsonObjectTemplate(Members(file, m, key, scope)),
        YSequence q => new JsonArrayTemplate(q.Items.Select(i => Json(file, i, key, scope)).ToArray()),
        YScalar s => new JsonScalarTemplate(Template(file, s, key, scope), !s.IsPlain),
        _ => new JsonScalarTemplate(Expressions.Template.Constant(""), true),
    };
}
