namespace MqttRules.Tests.Storage;

/// <summary>The state database holds rendered headers: owner-only permissions, WAL files included.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class StateFileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void Open_NewFile_OwnerOnlyWithWalFiles()
    {
        using var temp = new TempDb();
        using (var db = temp.Open())
        {
            db.Execute("INSERT INTO named_value (key, value) VALUES ('k', 'v')");
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                Assert.True(File.Exists(temp.Path + suffix), suffix);
                Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.Path + suffix));
            }
        }
    }

    [Fact]
    public void Open_ExistingWorldReadableFile_IsTightened()
    {
        using var temp = new TempDb();
        temp.Open().Dispose();
        File.SetUnixFileMode(temp.Path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var db = temp.Open();
        db.Execute("INSERT INTO named_value (key, value) VALUES ('k', 'v')");

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.Path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.Path + "-wal"));
    }
}
