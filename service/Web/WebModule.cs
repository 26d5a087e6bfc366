using Pipeline.Retraining;
using Pipeline.Datasets.Intake;
using Pipeline.Datasets.Store;
using Pipeline.Registry;
using Pipeline.Service.Jobs;
using Pipeline.Service.Models;

namespace Pipeline.Service.Web;

/// <summary>
/// The web UI at <c>/</c>: pages rendered on the server (charts as inline SVG), one stylesheet and one small script.
/// It reads through the same types as the API and changes things only through the API (upload, predict, promote),
/// so the API's access rule applies to it unchanged.
/// </summary>
public static class WebModule
{
    public static IServiceCollection AddWebUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebUiOptions>()
            .Bind(configuration.GetSection(WebUiOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The pages hand out a request token; the script sends it as the RequestVerificationToken header.
        services.AddAntiforgery();
        return services;
    }

    public static IEndpointRouteBuilder MapWebUi(this IEndpointRouteBuilder app)
    {
        app.MapWebAssets();
        app.MapFavicon();
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapGet("/", HomePage.Render);
        pages.MapGet("/models", ModelListPage.Render);
        pages.MapGet("/models/{version:int}", (HttpContext context, int version, ModelDetailsReader models, ModelRegistry registry) =>
            models.Get(version) is { } details
                ? ModelPage.Render(context, details, registry.Current()?.Version)
                : NotFound(context, $"There is no model version {version}.", "/models", "the model versions"));
        pages.MapGet("/models/{version:int}/mistakes", async (HttpContext context, int version, ModelMistakes mistakes, DatasetStore store,
                CancellationToken ct) =>
            await mistakes.GetAsync(version, ct) is { } found
                ? MistakesPage.Render(context, version, found, store.Latest())
                : NotFound(context, $"There is no model version {version} with a dataset version to score.", "/models", "the model versions"));
        pages.MapGet("/drops/{id}", (HttpContext context, string id, DropRecords drops, RetrainRecords retrains, JobProgressStore progress) =>
            drops.Get(id) is { } drop
                ? DropPage.Render(context, drop, retrains, progress)
                : NotFound(context, $"There is no drop '{id}'.", "/history", "the recent drops"));
        pages.MapGet("/history", HistoryPage.Render);
        pages.MapGet("/datasets", (HttpContext context, DatasetStore store) => store.Latest() is { } latest
            ? Results.Redirect($"/datasets/{latest.Version}")
            : WebLayout.Page(context, "Datasets", "<p>No dataset version yet. Add labelled images on the <a href=\"/\">overview</a>.</p>", "/datasets"));
        pages.MapGet("/datasets/{version:int}", (HttpContext context, int version, DatasetStore store, DropRecords drops, string? label, string? q) =>
            store.Get(version) is { } found
                ? DatasetPage.Render(context, found, store.Get(version + 1), drops.All(), label, q)
                : NotFound(context, $"There is no dataset version {version}.", "/datasets", "the latest dataset version"));
        return app;
    }

    private static IResult NotFound(HttpContext context, string what, string listPath, string listName) =>
        WebLayout.Page(context, "Not found", $"<p>{System.Net.WebUtility.HtmlEncode(what)} See <a href=\"{listPath}\">{listName}</a>.</p>",
            statusCode: StatusCodes.Status404NotFound);
}
