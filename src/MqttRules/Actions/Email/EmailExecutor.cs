using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MqttRules.Actions.Delivery;

namespace MqttRules.Actions.Email;

/// <summary>Sends an e-mail over SMTP with MailKit; 5xx replies and refused logins are final, 4xx and network errors retried.</summary>
internal sealed class EmailExecutor(SmtpSettings settings, TimeSpan timeout) : ActionExecutor<EmailAction>
{
    protected override async Task<DeliveryResult> DeliverAsync(EmailAction action, CancellationToken cancellationToken)
    {
        if (action.To.Count == 0)
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: the e-mail has no recipient ('to' is empty)");
        }

        MimeMessage message;
        try
        {
            message = Build(action);
        }
        catch (ParseException)
        {
            return DeliveryResult.Rejected($"rule {action.RuleId}: an e-mail address in 'to' or SMTP_FROM is not valid");
        }

        using var smtp = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(settings.Host, settings.Port, settings.Security, cancellationToken);
            if (settings.User is not null && smtp.Capabilities.HasFlag(SmtpCapabilities.Authentication))
            {
                await smtp.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
            }

            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(true, cancellationToken);
            return DeliveryResult.Ok($"SMTP {settings.Host} accepted");
        }
        catch (AuthenticationException)
        {
            return DeliveryResult.Rejected($"SMTP {settings.Host} refused the login: check the user and password in SMTP_URL");
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            return DeliveryResult.Rejected($"SMTP {settings.Host} rejected the message ({(int)ex.StatusCode})");
        }
        catch (SmtpCommandException ex)
        {
            return DeliveryResult.Transient($"SMTP {settings.Host} deferred the message ({(int)ex.StatusCode})");
        }
        catch (NotSupportedException)
        {
            return DeliveryResult.Rejected($"SMTP {settings.Host} does not offer STARTTLS, which SMTP_URL requires (?starttls=required)");
        }
    }

    public MimeMessage Build(EmailAction action)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        foreach (var to in action.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = action.Subject ?? $"MqttRules: {action.RuleId}";
        message.Body = new TextPart("plain") { Text = action.Body };
        message.MessageId = $"{action.Id}@mqttrules";
        return message;
    }
}
