using Hangfire;
using Pipeline.Retraining;

namespace Pipeline.Service.Jobs;

/// <summary>A retrain's steps as Hangfire jobs (<see cref="RetrainJobs"/>): arguments are ids only.</summary>
public sealed class HangfireRetrainJobQueue(IBackgroundJobClient jobs) : IRetrainJobQueue
{
    public string EnqueueCandidate(string retrainId, string architecture) =>
        jobs.Enqueue<RetrainJobs>(j => j.TrainCandidateAsync(retrainId, architecture, null, CancellationToken.None));

    public string EnqueueEvaluation(string retrainId) =>
        jobs.Enqueue<RetrainJobs>(j => j.EvaluateAndPromoteAsync(retrainId, null, CancellationToken.None));
}
