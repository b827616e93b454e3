# MqttRules container: the engine with its embedded broker (or next to your broker).
# Build: docker build -t mqttrules .
# Run:   docker run -p 1883:1883 -p 8080:8080 -v mqttrules-data:/data mqttrules

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY eng/ eng/
COPY src/MqttRules/MqttRules.csproj src/MqttRules/
COPY src/MqttRules.Cli/MqttRules.Cli.csproj src/MqttRules.Cli/
RUN dotnet restore src/MqttRules.Cli/MqttRules.Cli.csproj
COPY src/ src/
COPY schema/ schema/
RUN dotnet publish src/MqttRules.Cli/MqttRules.Cli.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY rules/ /rules/
RUN mkdir -p /data && chown "$APP_UID" /data
ENV MQTTRULES_RULES=/rules \
    MQTTRULES_STATE=/data/mqttrules-state.db \
    MQTTRULES_BROKER=embedded \
    MQTTRULES_EMBEDDED_LISTEN=0.0.0.0:1883 \
    MQTTRULES_HTTP=:8080
VOLUME ["/data"]
EXPOSE 1883 8080
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["dotnet", "/app/mqttrules.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/mqttrules.dll"]
CMD ["run"]
