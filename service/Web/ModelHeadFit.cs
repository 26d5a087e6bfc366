using System.Globalization;
using Pipeline.Evaluation;
using Pipeline.Training;
using static Pipeline.Service.Dashboard.DashboardHtml;

namespace Pipeline.Service.Web;

/// <summary>
/// One line of a model's lineage saying how its head was fitted: the L2 cross-validation chose, how the folds were made,
/// the views it trained on, and whether each label weighed the same. The attributes carry the API's values so that the
/// browser test can compare them with <c>GET /api/models/{v}</c>'s <c>crossValidation</c>.
/// </summary>
public static class ModelHeadFit
{
    public static string Render(CrossValidationReport? cv)
    {
        if (cv is null) return "<dd id=\"head-fit\">Fitted before cross-validation was recorded.</dd>";

        var l2 = cv.L2.ToString(CultureInfo.InvariantCulture);
        var folds = cv.FoldScheme switch
        {
            { Kind: FoldScheme.Grouped } f => $"{cv.Folds} folds grouped by design ({f.Groups} groups)",
            { Kind: FoldScheme.Stratified } => $"{cv.Folds} folds stratified by label",
            _ => $"{cv.Folds} folds",
        };
        var views = new List<string>();
        if (cv.Views.Count > 0) views.Add("scaled and mirrored views");
        else if (cv.Mirrored) views.Add("mirrored images");
        if (cv.StyleViews.Count > 0) views.Add("greyscale and outline views");
        if (cv.TestTimeAveraging) views.Add("predictions averaged over the views");
        var weighting = cv.BalancedLabels
            ? "each label weighed the same, as their sizes differ 2:1 or more"
            : "every image weighed alike";

        return $"<dd id=\"head-fit\" data-l2=\"{E(l2)}\" data-folds=\"{cv.Folds}\" data-fold-scheme=\"{E(cv.FoldScheme?.Kind)}\" " +
               $"data-balanced-labels=\"{(cv.BalancedLabels ? "true" : "false")}\">" +
               $"L2 {E(l2)}, chosen by {E(folds)}; " + (views.Count > 0 ? $"trained with {E(string.Join(", ", views))}; " : "") +
               $"{E(weighting)}.</dd>";
    }
}
