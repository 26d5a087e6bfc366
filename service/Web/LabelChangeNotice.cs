using System.Text;
using Pipeline.Datasets.Store;
using Pipeline.Registry;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// A notice on <c>/</c> when the serving model's labels differ from the newest dataset version's: which labels predict
/// cannot answer (or answers but the data no longer has), why the retrain of that version did not change the serving
/// model (the decision's reason, which names the rule), and a button to promote its challenger by hand.
/// </summary>
public static class LabelChangeNotice
{
    public static string Render(ModelRegistry registry, DatasetStore datasets)
    {
        if (registry.Current() is not { } serving || datasets.Latest() is not { } latest) return "";
        var added = latest.Labels.Except(serving.Manifest.Labels, StringComparer.Ordinal).ToList();
        var missing = serving.Manifest.Labels.Except(latest.Labels, StringComparer.Ordinal).ToList();
        if (added.Count == 0 && missing.Count == 0) return "";

        var html = new StringBuilder("<section class=\"notice\" id=\"label-change\" role=\"status\" aria-labelledby=\"label-change-title\">")
            .Append("<h2 id=\"label-change-title\">The serving model's labels differ from the data</h2><p>")
            .Append($"Model v{serving.Version} serves {serving.Manifest.Labels.Count} labels; dataset version {latest.Version} has {latest.Labels.Count}.");
        if (added.Count > 0) html.Append($" Predict cannot answer <span data-labels=\"new\">{E(string.Join(", ", added))}</span>.");
        if (missing.Count > 0) html.Append($" The data no longer has <span data-labels=\"dropped\">{E(string.Join(", ", missing))}</span>.");
        html.Append("</p>");

        var decision = registry.Decisions().LastOrDefault(d => d.DatasetVersion == latest.Version && d.Challenger is not null);
        if (decision is null)
            html.Append("<p>No retrain of that version has decided yet (or a label has too few images to train on).</p>");
        else
        {
            html.Append($"<p data-decision-reason>{E(decision.Reason)}</p>");
            // Not promoted, or promoted and rolled back since: either way a person may serve it.
            if (decision.Challenger != serving.Version && registry.Get(decision.Challenger!.Value) is { } challenger)
                html.Append($"<p>Its challenger, model v{challenger.Version}, knows {E(string.Join(", ", challenger.Manifest.Labels))}. ")
                    .Append(PromoteButton.Render(challenger.Version, serving.Version)).Append("</p>");
        }

        return html.Append("</section>").ToString();
    }
}
