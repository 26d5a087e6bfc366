namespace Pipeline.Service.Web;

/// <summary>
/// A form that promotes (or rolls back to) a model version through <c>POST /api/models/{v}/promote</c>, the one
/// promotion path. The page's script sends it with the antiforgery token header and reloads; without a script the
/// browser posts it and shows the API's answer.
/// </summary>
public static class PromoteButton
{
    public static string Render(int version, int? serving)
    {
        if (version == serving) return "<span class=\"badge\">serving</span>";
        var (verb, hint) = serving is { } s && version < s ? ("Roll back", $"to v{version}") : ("Promote", $"v{version}");
        return $"<form class=\"inline\" method=\"post\" action=\"/api/models/{version}/promote\" data-fetch=\"promote\">" +
               $"<button type=\"submit\" aria-label=\"{verb} {hint}\">{verb}</button></form>";
    }
}
