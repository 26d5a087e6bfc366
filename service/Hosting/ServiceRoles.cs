namespace Pipeline.Service.Hosting;

/// <summary>
/// What this process does (<c>Pipeline:Roles</c>, comma-separated, default all three), so that several processes can
/// share one PostgreSQL and one data root: <c>web</c> serves the HTTP API, the dashboard and predict; <c>worker</c>
/// runs a Hangfire server that trains candidates and promotes; <c>intake</c> watches the drop folder and ingests drops.
/// </summary>
/// <remarks>Each module reads the roles from configuration at registration; <see cref="PipelineOptions.Roles"/>'s
/// validation at start-up rejects a misspelt role, so an unknown name never silently means "none".</remarks>
public sealed record ServiceRoles(bool Web, bool Worker, bool Intake)
{
    public const string Pattern = @"^\s*((web|worker|intake)\s*(,\s*(web|worker|intake)\s*)*)?$";

    public static ServiceRoles From(IConfiguration configuration) => Parse(configuration[$"{PipelineOptions.Section}:Roles"]);

    /// <summary>An empty list means every role; unknown names are ignored here and refused by validation.</summary>
    public static ServiceRoles Parse(string? roles)
    {
        var names = (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length == 0
            ? new ServiceRoles(true, true, true)
            : new ServiceRoles(names.Contains("web"), names.Contains("worker"), names.Contains("intake"));
    }

    public override string ToString() =>
        string.Join(",", new[] { Web ? "web" : null, Worker ? "worker" : null, Intake ? "intake" : null }.OfType<string>());
}
