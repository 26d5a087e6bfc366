namespace Pipeline.Retraining;

/// <summary>
/// Where a retrain's steps are queued: one job per single candidate, then one evaluate job. The host implements it over
/// its job system (Hangfire in the service); jobs carry the retrain id and architecture only, and run
/// <see cref="RetrainSteps"/>.
/// </summary>
public interface IRetrainJobQueue
{
    /// <returns>The job's id, recorded on the candidate.</returns>
    string EnqueueCandidate(string retrainId, string architecture);

    /// <returns>The job's id, recorded on the retrain.</returns>
    string EnqueueEvaluation(string retrainId);
}
