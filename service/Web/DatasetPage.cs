using System.Text;
using Pipeline.Datasets.Intake;
using Pipeline.Datasets.Store;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// <c>/datasets/{v}</c>: one dataset version as people check it: per label, its image and quarantined-file counts,
/// thumbnails with the file names the images arrived under (server-made, <c>GET /api/datasets/images/{sha}/thumbnail</c>),
/// and the files the drops up to this version quarantined, with their reasons, grouped by the label folder they were
/// dropped under; a search by file name (any part, any case) or by content hash (its start) over both. Per image
/// "Delete" and "Move to" (<c>POST /api/datasets/images/{sha}/…</c>) write the next version. Only the latest version can
/// be changed; older ones are read-only history.
/// </summary>
public static class DatasetPage
{
    private const int PageSize = 60;

    /// <summary>The group of quarantined files that were not under a label folder.</summary>
    public const string NoLabel = "no label";

    /// <param name="next">The version after <paramref name="version"/>; null when it is the latest.</param>
    public static IResult Render(HttpContext context, DatasetVersion version, DatasetVersion? next, IReadOnlyList<DropRecord> drops,
        string? label, string? query)
    {
        var isLatest = next is null;
        query = string.IsNullOrWhiteSpace(query) ? null : query.Trim();
        var quarantined = DatasetQuarantine.Of(version, next, drops);
        var imageCounts = version.Images.GroupBy(i => i.Label).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var quarantineCounts = quarantined.Where(f => f.Label is not null).GroupBy(f => f.Label!)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        // A label folder whose every file was quarantined is listed too: that is where its files are explained.
        var labels = imageCounts.Keys.Union(quarantineCounts.Keys).Order(StringComparer.Ordinal).ToList();
        label ??= labels.FirstOrDefault(imageCounts.ContainsKey) ?? (labels.Count > 0 ? labels[0] : null);

        var html = new StringBuilder();
        html.Append($"<p class=\"lead\" data-dataset-version=\"{version.Version}\">{version.Images.Count} images in {imageCounts.Count} labels, ")
            .Append($"from <code>{E(version.Source)}</code>, {WebLayout.Time(version.CreatedUtc)}.")
            .Append(isLatest ? " The latest version: a change here writes the next one, which is retrained." : " An older version, read-only: change the <a href=\"/datasets\">latest</a>.")
            .Append("</p><p id=\"action-status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>");
        if (version.Changes.Count > 0)
            html.Append("<p id=\"changes\">Changes from version ").Append(version.Version - 1).Append(": ")
                .Append(E(string.Join("; ", version.Changes))).Append(".</p>");

        html.Append("<section aria-labelledby=\"labels-title\"><h2 id=\"labels-title\">Labels</h2><ul class=\"labels\" id=\"label-counts\">");
        foreach (var name in labels)
        {
            var count = imageCounts.GetValueOrDefault(name);
            var held = quarantineCounts.GetValueOrDefault(name);
            html.Append($"<li><a href=\"/datasets/{version.Version}?label={Uri.EscapeDataString(name)}\" data-label=\"{E(name)}\" data-count=\"{count}\" data-quarantined=\"{held}\"")
                .Append(name == label && query is null ? " aria-current=\"true\"" : "").Append($">{E(name)}</a> {count}")
                .Append(held > 0 ? $" <span class=\"held\">· {held} quarantined</span>" : "").Append("</li>");
        }

        html.Append("</ul><form method=\"get\" class=\"search\"><label for=\"dataset-search\">Find by file name (any part) or content hash (its start)</label> ")
            .Append($"<input id=\"dataset-search\" name=\"q\" type=\"search\" value=\"{E(query)}\" autocomplete=\"off\"> <button type=\"submit\">Find</button></form></section>");

        html.Append(Images(version, isLatest, label, query, labels.Where(imageCounts.ContainsKey).ToList()));
        html.Append(Quarantined(quarantined, label, query));
        return WebLayout.Page(context, $"Dataset v{version.Version}", html.ToString(), "/datasets");
    }

    /// <summary>The images of one label, or those a search finds across labels, each with its thumbnail and name.</summary>
    private static string Images(DatasetVersion version, bool isLatest, string? label, string? query, IReadOnlyList<string> labels)
    {
        var shown = query is null ? version.Images.Where(i => i.Label == label).ToList() : version.Images.Where(i => Matches(i, query)).ToList();
        var html = new StringBuilder("<section aria-labelledby=\"images-title\"><h2 id=\"images-title\">")
            .Append(query is null ? $"Images labelled {E(label)}" : $"Images whose file name holds or hash starts with “{E(query)}”")
            .Append($" ({shown.Count}{(shown.Count > PageSize ? $", the first {PageSize}" : "")})</h2><ul class=\"thumbs\" id=\"images\">");
        foreach (var image in shown.Take(PageSize))
        {
            var sha = image.Sha256;
            var name = image.FileName ?? sha[..12];
            html.Append($"<li data-sha256=\"{sha}\" data-label=\"{E(image.Label)}\" data-file-name=\"{E(image.FileName)}\">")
                .Append($"<img src=\"/api/datasets/images/{sha}/thumbnail\" width=\"96\" height=\"96\" loading=\"lazy\" alt=\"{E(image.Label)} image {E(name)}\">")
                .Append(image.FileName is null ? "" : $"<span class=\"file-name\" title=\"{E(image.FileName)}\">{E(image.FileName)}</span>")
                .Append($"<span class=\"meta\">{(query is null ? "" : $"{E(image.Label)} · ")}<code title=\"{sha}\">{sha[..12]}</code> {image.Width}×{image.Height} {E(image.Format)}</span>");
            if (isLatest)
                html.Append(ImageActions.Render(sha, image.Label, labels));
            html.Append("</li>");
        }

        return html.Append("</ul></section>").ToString();
    }

    /// <summary>
    /// The quarantined files, one group per label folder they were dropped under (those under none in "no label"),
    /// each group a <c>details</c> that is open for the label shown, for "no label" and for a search's matches.
    /// </summary>
    private static string Quarantined(IReadOnlyList<QuarantinedFile> files, string? label, string? query)
    {
        var html = new StringBuilder("<section aria-labelledby=\"quarantine-title\"><h2 id=\"quarantine-title\">Quarantined files</h2>");
        var shown = query is null ? files : files.Where(f => f.Path.Contains(query, StringComparison.OrdinalIgnoreCase)).ToList();
        if (shown.Count == 0)
            return html.Append(query is null
                ? "<p>The drops up to this version quarantined nothing.</p></section>"
                : $"<p>No quarantined file's path holds “{E(query)}”.</p></section>").ToString();

        html.Append("<p>Files the drops up to this version set aside, with why; they are not in the dataset. Fix one and drop it again.</p>");
        foreach (var group in shown.GroupBy(f => f.Label))
        {
            var name = group.Key ?? NoLabel;
            var open = query is not null || group.Key is null || group.Key == label;
            var rows = group.ToList();
            html.Append($"<details class=\"quarantine\" data-quarantine-label=\"{E(name)}\"{(open ? " open" : "")}>")
                .Append($"<summary>{(group.Key is null ? "No label folder" : E(name))}: {rows.Count} file{(rows.Count == 1 ? "" : "s")}</summary>")
                .Append("<table><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Reason</th><th scope=\"col\">Drop</th></tr></thead><tbody>");
            foreach (var f in rows.Take(PageSize))
                html.Append($"<tr data-path=\"{E(f.Path)}\"><td><code>{E(f.Path)}</code></td><td>{E(f.Reason)}</td>")
                    .Append($"<td><a href=\"/drops/{Uri.EscapeDataString(f.Drop.Id)}\">{E(f.Drop.Name)}</a></td></tr>");
            html.Append("</tbody></table>");
            if (rows.Count > PageSize)
                html.Append($"<p>The first {PageSize} of {rows.Count}; search to find the others.</p>");
            html.Append("</details>");
        }

        return html.Append("</section>").ToString();
    }

    /// <summary>A file name holding the query in any case, or a hash starting with it.</summary>
    private static bool Matches(DatasetEntry image, string query) =>
        image.FileName?.Contains(query, StringComparison.OrdinalIgnoreCase) == true ||
        image.Sha256.StartsWith(query.ToLowerInvariant(), StringComparison.Ordinal);
}
