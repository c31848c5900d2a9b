import Testing
@testable import Queue

@Suite struct BackoffTests {
    @Test(arguments: [1, 2, 3, 5, 8, 12, 30, 100])
    func delayStaysWithinTheFullJitterWindowAndTheCap(attempt: Int) {
        let backoff = Backoff(base: 2, cap: 300)
        let ceiling = min(300, 2 * Double(1 << min(attempt - 1, 40)))
        #expect(backoff.ceiling(attempt: attempt) == ceiling)
        for _ in 0..<200 {
            let delay = backoff.delay(attempt: attempt)
            #expect(delay >= 0 && delay <= ceiling)
        }
        #expect(backoff.delay(attempt: attempt, random: { $0.upperBound }) == ceiling)
        #expect(backoff.delay(attempt: attempt, random: { $0.lowerBound }) == 0)
    }

    @Test func jitterSpreadsDelaysOverTheWholeWindow() {
        let delays = (0..<500).map { _ in Backoff(base: 1, cap: 1000).delay(attempt: 8) }
        #expect(delays.min()! < 32 && delays.max()! > 96)  // window is [0, 128]
    }

    @Test func requestedDelayWinsButIsBounded() {
        let backoff = Backoff(base: 2, cap: 60, maxRequested: 3600)
        #expect(backoff.delay(attempt: 1, requested: 120) == 120)
        #expect(backoff.delay(attempt: 1, requested: 1_000_000) == 3600)
        #expect(backoff.delay(attempt: 1, requested: -5) == 0)
    }

    @Test func outcomesMapToTheNextStateWithTheAttemptBudget() {
        #expect(JobOutcome.completed.nextState(attempt: 1, maxAttempts: 1) == .completed)
        #expect(JobOutcome.retry(error: "x", delay: 5).nextState(attempt: 1, maxAttempts: 3) == .retryable)
        #expect(JobOutcome.retry(error: "x", delay: 0).nextState(attempt: 1, maxAttempts: 3) == .available)
        #expect(JobOutcome.retry(error: "x", delay: 5).nextState(attempt: 3, maxAttempts: 3) == .discarded)
        #expect(JobOutcome.discard(error: "x").nextState(attempt: 1, maxAttempts: 9) == .discarded)
    }

    @Test func handlerErrorsMapToOutcomes() {
        let backoff = Backoff(base: 1, cap: 10)
        #expect(JobOutcome.from(error: nil, attempt: 1, cancelRequested: false, backoff: backoff) == .completed)
        #expect(JobOutcome.from(error: JobFailure.permanent("closed period"), attempt: 1, cancelRequested: false,
                                backoff: backoff) == .discard(error: "closed period"))
        #expect(JobOutcome.from(error: JobFailure.retryable("429", after: 42), attempt: 1, cancelRequested: false,
                                backoff: backoff) == .retry(error: "429", delay: 42))
        if case .cancelled = JobOutcome.from(error: JobFailure.retryable("stop"), attempt: 1, cancelRequested: true,
                                             backoff: backoff) {} else { Issue.record("expected cancelled") }
    }
}
