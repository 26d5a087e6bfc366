using System.Text;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// "Delete" and "Move to" for one dataset image: forms posting to <c>/api/datasets/images/{sha}/…</c>. The script sends
/// them with the antiforgery header and follows to the new version; without it the browser posts and shows the API's
/// answer. Used by the dataset browser and the model's mistakes.
/// </summary>
public static class ImageActions
{
    /// <param name="suggested">The label "Move to" offers first (the mistakes view: the one the model gave); null for
    /// the first other label.</param>
    public static string Render(string sha256, string label, IReadOnlyList<string> labels, string? suggested = null)
    {
        var html = new StringBuilder("<span class=\"actions\">")
            .Append($"<form class=\"inline\" method=\"post\" action=\"/api/datasets/images/{sha256}/delete\" data-fetch=\"dataset\">")
            .Append($"<button type=\"submit\" aria-label=\"Delete image {sha256[..12]}\">Delete</button></form> ")
            .Append($"<form class=\"inline\" method=\"post\" action=\"/api/datasets/images/{sha256}/label\" data-fetch=\"dataset\">")
            .Append($"<label class=\"visually-hidden\" for=\"move-{sha256[..16]}\">New label for image {sha256[..12]}</label>")
            .Append($"<select id=\"move-{sha256[..16]}\" name=\"label\">");
        foreach (var other in labels.Where(l => l != label))
            html.Append(other == suggested ? $"<option selected>{E(other)}</option>" : $"<option>{E(other)}</option>");
        return html.Append($"</select> <button type=\"submit\" aria-label=\"Move image {sha256[..12]}\">Move</button></form></span>").ToString();
    }
}
