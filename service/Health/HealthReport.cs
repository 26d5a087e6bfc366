namespace Pipeline.Service.Health;

/// <summary>The body of <c>GET /health</c>.</summary>
/// <param name="Status"><c>ready</c> or <c>not ready</c>.</param>
/// <param name="ServingVersion">The model answering predictions, if any.</param>
/// <param name="Reason">Why it is (not) ready, in words.</param>
public sealed record HealthReport(string Status, int? ServingVersion, string Reason);
