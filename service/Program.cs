using Pipeline.Service.Cli;

if (CliApp.IsCliInvocation(args))
    return await CliApp.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => Results.Ok(new { status = "starting" }));
await app.RunAsync();
return 0;
