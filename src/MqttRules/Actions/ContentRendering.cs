using System.Buffers;
using System.Text;
using System.Text.Json;
using MqttRules.Expressions;
using MqttRules.Rules;

namespace MqttRules.Actions;

/// <summary>
/// Renders a payload or body: a text template, or a mapping/list as compact JSON. The UTF-8 form
/// goes through a per-thread scratch buffer, so a rendered payload costs one array of its own size
/// (none for a constant text).
/// </summary>
internal static class ContentRendering
{
    private const int KeepScratchBelow = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    [ThreadStatic]
    private static Utf8JsonWriter? json;

    /// <summary>The content as UTF-8 bytes, and whether it is JSON.</summary>
    public static (ReadOnlyMemory<byte> Bytes, bool IsJson) Utf8(ContentSpec content, EvalContext ctx)
    {
        switch (content)
        {
            case TextContent { Template.IsConstant: true } t:
                return (t.Template.ConstantUtf8, false);
            case TextContent t:
                var buffer = Scratch();
                t.Template.RenderUtf8(ctx, buffer, out var failed);
                Check(t.Template, failed);
                return (buffer.WrittenSpan.ToArray(), false);
            case JsonContent j:
                var output = Scratch();
                var writer = json ??= new Utf8JsonWriter(output);
                writer.Reset(output);
                string? missing = null;
                j.Root.Write(writer, ctx, ref missing);
                writer.Flush();
                return (output.WrittenSpan.ToArray(), true);
            default:
                return (ReadOnlyMemory<byte>.Empty, false);
        }
    }

    /// <summary>The content as text, and whether it is JSON.</summary>
    public static (string Text, bool IsJson) Text(ContentSpec content, EvalContext ctx)
    {
        if (content is TextContent t)
        {
            var text = t.Template.Render(ctx, out var failed);
            Check(t.Template, failed);
            return (text, false);
        }

        var (bytes, isJson) = Utf8(content, ctx);
        return (Encoding.UTF8.GetString(bytes.Span), isJson);
    }

    /// <summary>A content that is one hole and nothing else, which could not be evaluated, is not sent.</summary>
    private static void Check(Template template, string? failed)
    {
        if (template.IsSingleHole && failed is not null)
        {
            throw new UnevaluatedContentException(failed);
        }
    }

    /// <summary>This thread's scratch buffer, emptied; one that grew past the bound is not kept.</summary>
    private static ArrayBufferWriter<byte> Scratch()
    {
        var buffer = scratch;
        if (buffer is null || buffer.Capacity > KeepScratchBelow)
        {
            scratch = buffer = new ArrayBufferWriter<byte>(256);
        }

        buffer.ResetWrittenCount();
        return buffer;
    }
}
