using System.ComponentModel.DataAnnotations;

namespace Pipeline.Service.Web;

/// <summary>How the web UI presents things (configuration section <c>Pipeline:WebUi</c>).</summary>
public sealed class WebUiOptions
{
    public const string Section = "Pipeline:WebUi";

    /// <summary>
    /// A prediction whose top score is below this gets a hint on the page that the model is unsure (the image may show
    /// none of its labels). 0.5: below it, the other labels together are more likely than the top one.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LowConfidenceThreshold { get; set; } = 0.5;
}
