using Pipeline.Service.Models;

namespace Pipeline.Service.Web;

/// <summary>One sentence under a model's figures saying which head they measure and which head serves.</summary>
public static class ModelHeadsNote
{
    public static string Render(ModelHeads heads) => heads.ServedIsRefit
        ? $"<p class=\"note\" data-heads=\"refit\">Test figures: the gate head, trained on the {heads.GateTrainImages} train images only. " +
          $"Predict and export serve a head refitted on all {heads.ServedTrainImages} images, which has no held-out figures.</p>"
        : $"<p class=\"note\" data-heads=\"single\">Test figures and predict: one head, trained on the {heads.GateTrainImages} train images.</p>";
}
