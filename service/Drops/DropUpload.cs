using Pipeline.Datasets.Intake;

namespace Pipeline.Service.Drops;

/// <summary>An upload whose bytes are complete in <paramref name="Staging"/>, which holds one entry, <paramref name="Name"/>.</summary>
public sealed record DropUpload(string Staging, string Name, DropOrigin Origin);
