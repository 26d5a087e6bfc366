using Pipeline.Service.Cli;
using Pipeline.Service.Hosting;

if (CliApp.IsCliInvocation(args))
    return await CliApp.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddPipelineService();
var app = builder.Build();
app.MapPipelineService();
return await app.RunOrExplainAsync();
