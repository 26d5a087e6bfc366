using System.Text;
using Microsoft.Extensions.Options;
using Pipeline.Retraining;
using Pipeline.Datasets.Intake;
using Pipeline.Datasets.Store;
using Pipeline.Registry;
using Pipeline.Service.Jobs;
using Pipeline.Service.Models;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// <c>/</c>: the serving model and its figures, trying predict, and adding images. Reading needs no script; the two
/// forms post to the API themselves without one, and with the script they stay on the page.
/// </summary>
public static class HomePage
{
    public static IResult Render(HttpContext context, ModelDetailsReader models, ModelRegistry registry, DatasetStore datasets,
        RetrainRecords retrains, DropRecords drops, IOptions<WebUiOptions> options)
    {
        var html = new StringBuilder(LabelChangeNotice.Render(registry, datasets));
        html.Append(ActivityNotice.Render(retrains, drops));
        html.Append("<section aria-labelledby=\"serving-title\" id=\"serving\"><h2 id=\"serving-title\">Serving model</h2>");
        if (registry.Current() is { } current && models.Get(current.Version) is { } details)
        {
            var m = details.Model;
            html.Append($"<p class=\"lead\"><a href=\"/models/{m.Version}\" data-serving-version=\"{m.Version}\">Model v{m.Version}</a>: ")
                .Append($"{E(m.Architecture)}, trained on dataset version {E(m.DatasetVersion)}, {m.Labels.Count} labels ")
                .Append($"({E(string.Join(", ", m.Labels))}).</p>")
                .Append(ModelFigures.Render(details))
                .Append($"<p><a href=\"/models/{m.Version}\">Per-label metrics, confusion matrix and the candidates of its retrain</a></p>");
        }
        else
            html.Append("<p class=\"lead\" data-serving-version=\"\">No model is serving yet. Add labelled images below: the first retrain promotes one.</p>");
        html.Append("</section>");

        var threshold = options.Value.LowConfidenceThreshold;
        html.Append($"""
            <section aria-labelledby="predict-title" id="predict"><h2 id="predict-title">Try predict</h2>
            <form id="predict-form" method="post" action="/api/predict?top=5" enctype="multipart/form-data" data-low-confidence="{N(threshold, "0.###")}">
              <div class="field"><label for="predict-image">Image (jpeg, png, bmp, gif, webp)</label>
              <input id="predict-image" name="image" type="file" accept="image/*" required></div>
              <button type="submit">Predict</button> <span id="predict-busy" class="busy" hidden><progress aria-label="Predicting"></progress> Predicting…</span>
            </form>
            <div class="predict-result">
              <figure class="preview"><img id="predict-preview" alt="The chosen image" hidden><figcaption id="predict-file">No image chosen</figcaption></figure>
              <div id="predict-output" class="output" aria-live="polite"></div>
            </div></section>
            """);

        html.Append("""
            <section aria-labelledby="upload-title" id="upload"><h2 id="upload-title">Add labelled images</h2>
            <p>A drop is a folder of <code>&lt;label&gt;/&lt;image&gt;</code> folders, a <code>.zip</code> of them, or loose images with one label.
            Every file is checked; rejected files are listed with their reason. A new dataset version starts a retrain.</p>
            <div id="dropzone" class="dropzone"><p>Drag a folder or a <code>.zip</code> here, or choose below.</p></div>
            <form id="upload-form" method="post" action="/api/drops" enctype="multipart/form-data">
              <div class="field"><label for="upload-zip">A <code>.zip</code> of label folders</label>
              <input id="upload-zip" name="file" type="file" accept=".zip,application/zip"></div>
              <div class="field"><label for="upload-folder">Or a folder of label folders</label>
              <input id="upload-folder" type="file" webkitdirectory multiple></div>
              <fieldset><legend>Or loose images of one label</legend>
                <div class="field"><label for="upload-images">Images</label>
                <input id="upload-images" name="files" type="file" accept="image/*" multiple></div>
                <div class="field"><label for="upload-label">Label</label>
                <input id="upload-label" name="label" type="text" maxlength="100" autocomplete="off"></div>
              </fieldset>
              <button type="submit">Upload</button>
            </form>
            <p id="upload-status" class="status" role="status" aria-live="polite"></p></section>
            """);
        return WebLayout.Page(context, "Overview", html.ToString(), "/");
    }
}
