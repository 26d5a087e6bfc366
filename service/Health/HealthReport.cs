namespace Pipeline.Service.Health;

/// <summary>The body of <c>GET /health</c>.</summary>
/// <param name="Status"><c>ready</c> (healthy or degraded) or <c>not ready</c> (503).</param>
/// <param name="ServingVersion">The model answering predictions, if any.</param>
/// <param name="Reason">Why it is (not) ready, in words: the failing checks, else the model's state.</param>
/// <param name="Checks">Every check by name (<c>model</c>, <c>storage</c>, <c>workers</c>): its status and description.</param>
public sealed record HealthReport(string Status, int? ServingVersion, string Reason, IReadOnlyDictionary<string, HealthCheckEntry> Checks);

/// <summary>One health check's outcome in <see cref="HealthReport"/>.</summary>
public sealed record HealthCheckEntry(string Status, string? Description, IReadOnlyDictionary<string, object>? Data);
