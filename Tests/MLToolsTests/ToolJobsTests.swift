import Foundation
import JSONValues
import Testing

@testable import MLTools

/// Jobs of a fake tool that reports `steps` progress steps, one every `pause`, then returns them.
@Suite struct ToolJobsTests {
    static func counting(pause: Duration = .milliseconds(5)) -> MLTool {
        MLTool(name: "count", title: "Count", description: "Counts.", inputSchema: ToolSchema.object([
            ("steps", ToolSchema.integer("How many.", minimum: 1, maximum: 1000)), ("fail", ToolSchema.boolean("Fail at the end.")),
        ]), readOnly: true, validate: { arguments in _ = try arguments.int("steps", in: 1...1000) }) { arguments, progress in
            let steps = try arguments.int("steps", in: 1...1000) ?? 3
            for step in 1...steps {
                try await Task.sleep(for: pause)
                await progress.report(Double(step), Double(steps), "step \(step)")
            }
            if try arguments.bool("fail") == true { throw ToolError(.failed, "it failed at the end") }
            return ToolOutput(structured: .object(["steps": .int(steps)]), text: "\(steps) steps")
        }
    }

    static func finished(_ jobs: ToolJobs, _ id: String) async throws -> ToolJobs.Snapshot {
        for _ in 0..<1000 {
            if let job = await jobs.snapshot(id), job.state != .running { return job }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ToolError(.failed, "job \(id) did not finish")
    }

    @Test func aJobRunsToItsResultAndItsStreamReplaysEveryStep() async throws {
        let jobs = ToolJobs()
        let job = try await jobs.start(Self.counting(), arguments: ["steps": .int(5)])
        #expect(job.state == .running)
        let stream = try #require(await jobs.updates(job.id))
        var steps: [Double] = []
        var last: ToolJobs.Snapshot?
        for await update in stream {
            switch update {
            case .progress(let progress): steps.append(progress.done)
            case .finished(let snapshot): last = snapshot
            }
        }
        #expect(steps == [1, 2, 3, 4, 5])
        #expect(last?.state == .succeeded && last?.result?.structured == .object(["steps": .int(5)]))
        // A late subscriber gets the whole history, then the end.
        var replayed = 0
        for await update in try #require(await jobs.updates(job.id)) { if case .progress = update { replayed += 1 } }
        #expect(replayed == 5)
    }

    @Test func badArgumentsAreRefusedBeforeAJobStarts() async throws {
        let jobs = ToolJobs()
        await #expect(throws: ToolError.self) { try await jobs.start(Self.counting(), arguments: ["steps": .int(0)]) }
        await #expect(throws: ToolError.self) { try await jobs.start(Self.counting(), arguments: ["other": .int(1)]) }
    }

    @Test func aFailureAndACancellationAreTheJobsState() async throws {
        let jobs = ToolJobs()
        let failing = try await jobs.start(Self.counting(), arguments: ["steps": .int(1), "fail": .bool(true)])
        let failed = try await Self.finished(jobs, failing.id)
        #expect(failed.state == .failed && failed.error == "it failed at the end")
        let long = try await jobs.start(Self.counting(pause: .seconds(10)), arguments: ["steps": .int(100)])
        _ = await jobs.cancel(long.id)
        let cancelled = try await Self.finished(jobs, long.id)
        #expect(cancelled.state == .cancelled)
        #expect(await jobs.cancel("nothing") == nil)
        #expect(await jobs.snapshot("nothing") == nil)
    }

    @Test func atMostMaxRunningJobsRunAndOldFinishedJobsAreForgotten() async throws {
        let jobs = ToolJobs(maxRunning: 2, maxKept: 3)
        let slow = Self.counting(pause: .seconds(10))
        let first = try await jobs.start(slow, arguments: ["steps": .int(100)])
        let second = try await jobs.start(slow, arguments: ["steps": .int(100)])
        do {
            _ = try await jobs.start(slow, arguments: ["steps": .int(100)])
            Issue.record("a third job started")
        } catch let error as ToolError {
            #expect(error.code == .busy)
        }
        _ = await jobs.cancel(first.id)
        _ = try await Self.finished(jobs, first.id)
        let quick = try await jobs.start(Self.counting(), arguments: ["steps": .int(1)])
        _ = try await Self.finished(jobs, quick.id)
        // Kept: second (running), first and quick (finished); one more finished job forgets the oldest, first.
        let another = try await jobs.start(Self.counting(), arguments: ["steps": .int(1)])
        _ = try await Self.finished(jobs, another.id)
        #expect(await jobs.snapshot(first.id) == nil)
        #expect(await jobs.snapshot(second.id)?.state == .running)
        #expect(await jobs.snapshot(quick.id) != nil)
        await jobs.cancelAll()
    }
}
