using MqttRules.IntegrationTests.Infrastructure;

namespace MqttRules.IntegrationTests.Tls;

/// <summary>A throwaway CA and a server certificate for localhost / 127.0.0.1, made with the openssl CLI.</summary>
public sealed class Certificates : IDisposable
{
    public Certificates()
    {
        Dir = new TempDir();
        Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=MqttRules Test CA",
            "-keyout", Path("ca.key"), "-out", CaFile);
        Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", KeyFile, "-out", Path("server.csr"));
        Dir.Write("san.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Run("x509", "-req", "-in", Path("server.csr"), "-CA", CaFile, "-CAkey", Path("ca.key"), "-CAcreateserial",
            "-days", "2", "-extfile", Path("san.ext"), "-out", CertFile);
        Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=mqttrules-client", "-keyout", ClientKeyFile, "-out", Path("client.csr"));
        Run("x509", "-req", "-in", Path("client.csr"), "-CA", CaFile, "-CAkey", Path("ca.key"), "-CAcreateserial",
            "-days", "2", "-out", ClientCertFile);
        foreach (var f in Directory.GetFiles(Dir.Path))
        {
            File.SetUnixFileMode(f, (UnixFileMode)0b110_100_100);
        }
    }

    public TempDir Dir { get; }
    public string CaFile => Path("ca.crt");
    public string CertFile => Path("server.crt");
    public string KeyFile => Path("server.key");
    public string ClientCertFile => Path("client.crt");
    public string ClientKeyFile => Path("client.key");

    public string ListenerConfig(int port, bool requireClientCertificate = false) => $"""
        listener {port} 127.0.0.1
        cafile {CaFile}
        certfile {CertFile}
        keyfile {KeyFile}
        require_certificate {(requireClientCertificate ? "true" : "false")}
        """;

    public void Dispose() => Dir.Dispose();

    private string Path(string name) => System.IO.Path.Combine(Dir.Path, name);

    private static void Run(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {err}");
        }
    }
}
