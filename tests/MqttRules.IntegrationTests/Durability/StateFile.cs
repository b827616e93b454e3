using Microsoft.Data.Sqlite;
using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Durability;

/// <summary>Reads the engine's state file (<c>state.db</c> in the test folder) from outside, read-only, as an operator would.</summary>
internal static class StateFile
{
    public static long Count(TempDir dir, string table, string where = "1 = 1") => Count(dir.FilePath("state.db"), table, where);

    public static long Count(string path, string table, string where = "1 = 1")
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {where}";
        return (long)cmd.ExecuteScalar()!;
    }

    public static string? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar()?.ToString();
    }
}
