namespace MqttRules.Outbox;

/// <summary>An action given up on: its id and kind, when, after how many attempts, and why.</summary>
internal sealed record DeadLetterRow(string Id, string Kind, DateTimeOffset FailedAt, int Attempts, string Error);
