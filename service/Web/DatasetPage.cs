using System.Text;
using Pipeline.Datasets.Intake;
using Pipeline.Datasets.Store;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// <c>/datasets/{v}</c>: one dataset version as people check it: image counts per label, thumbnails of one label
/// (server-made, <c>GET /api/datasets/images/{sha}/thumbnail</c>), a search by content hash, the files its drop
/// quarantined with their reasons, and per image "Delete" and "Move to" (<c>POST /api/datasets/images/{sha}/…</c>),
/// which write the next version. Only the latest version can be changed; older ones are read-only history.
/// </summary>
public static class DatasetPage
{
    private const int PageSize = 60;

    public static IResult Render(HttpContext context, DatasetVersion version, bool isLatest, DropRecords drops, string? label, string? query)
    {
        var counts = version.Images.GroupBy(i => i.Label).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Label: g.Key, Count: g.Count())).ToList();
        label ??= counts.FirstOrDefault().Label;
        var html = new StringBuilder();
        html.Append($"<p class=\"lead\" data-dataset-version=\"{version.Version}\">{version.Images.Count} images in {counts.Count} labels, ")
            .Append($"from <code>{E(version.Source)}</code>, {WebLayout.Time(version.CreatedUtc)}.")
            .Append(isLatest ? " The latest version: a change here writes the next one, which is retrained." : " An older version, read-only: change the <a href=\"/datasets\">latest</a>.")
            .Append("</p><p id=\"action-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>");
        if (version.Changes.Count > 0)
            html.Append("<p id=\"changes\">Changes from version ").Append(version.Version - 1).Append(": ")
                .Append(E(string.Join("; ", version.Changes))).Append(".</p>");

        html.Append("<section aria-labelledby=\"labels-title\"><h2 id=\"labels-title\">Labels</h2><ul class=\"labels\" id=\"label-counts\">");
        foreach (var (name, count) in counts)
            html.Append($"<li><a href=\"/datasets/{version.Version}?label={Uri.EscapeDataString(name)}\" data-label=\"{E(name)}\" data-count=\"{count}\"")
                .Append(name == label ? " aria-current=\"true\"" : "").Append($">{E(name)}</a> {count}</li>");
        html.Append("</ul><form method=\"get\" class=\"search\"><label for=\"dataset-search\">Find by content hash (start of it)</label> ")
            .Append($"<input id=\"dataset-search\" name=\"q\" type=\"search\" value=\"{E(query)}\" autocomplete=\"off\"> <button type=\"submit\">Find</button></form></section>");

        var shown = string.IsNullOrWhiteSpace(query)
            ? version.Images.Where(i => i.Label == label).ToList()
            : version.Images.Where(i => i.Sha256.StartsWith(query.Trim().ToLowerInvariant(), StringComparison.Ordinal)).ToList();
        html.Append($"<section aria-labelledby=\"images-title\"><h2 id=\"images-title\">")
            .Append(string.IsNullOrWhiteSpace(query) ? $"Images labelled {E(label)}" : $"Images whose hash starts with {E(query)}")
            .Append($" ({shown.Count}{(shown.Count > PageSize ? $", the first {PageSize}" : "")})</h2><ul class=\"thumbs\" id=\"images\">");
        var others = counts.Select(c => c.Label).ToList();
        foreach (var image in shown.Take(PageSize))
        {
            var sha = image.Sha256;
            html.Append($"<li data-sha256=\"{sha}\" data-label=\"{E(image.Label)}\"><img src=\"/api/datasets/images/{sha}/thumbnail\" ")
                .Append($"width=\"96\" height=\"96\" loading=\"lazy\" alt=\"{E(image.Label)} image {sha[..12]}\">")
                .Append($"<span class=\"meta\"><code title=\"{sha}\">{sha[..12]}</code> {image.Width}×{image.Height} {E(image.Format)}</span>");
            if (isLatest)
                html.Append(ImageActions.Render(sha, image.Label, others));
            html.Append("</li>");
        }

        html.Append("</ul></section>");
        html.Append(Quarantined(version, drops));
        return WebLayout.Page(context, $"Dataset v{version.Version}", html.ToString(), "/datasets");
    }

    /// <summary>The files the drop behind this version set aside, with why; they never entered the dataset.</summary>
    private static string Quarantined(DatasetVersion version, DropRecords drops)
    {
        var html = new StringBuilder("<section aria-labelledby=\"quarantine-title\"><h2 id=\"quarantine-title\">Quarantined files</h2>");
        const string prefix = "drop:";
        if (!version.Source.StartsWith(prefix, StringComparison.Ordinal) || drops.Get(version.Source[prefix.Length..]) is not { } drop)
            return html.Append("<p>This version did not come from a drop, so nothing was quarantined for it.</p></section>").ToString();
        if (drop.RejectedFiles.Count == 0)
            return html.Append($"<p>Drop <a href=\"/drops/{Uri.EscapeDataString(drop.Id)}\">{E(drop.Name)}</a> had no rejected files.</p></section>").ToString();
        html.Append($"<p>From drop <a href=\"/drops/{Uri.EscapeDataString(drop.Id)}\">{E(drop.Name)}</a>:</p>")
            .Append("<table id=\"quarantined\"><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
        foreach (var f in drop.RejectedFiles)
            html.Append($"<tr><td><code>{E(f.Path)}</code></td><td>{E(f.Reason)}</td></tr>");
        return html.Append("</tbody></table></section>").ToString();
    }
}
