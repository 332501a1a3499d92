import ArgumentParser
import DataPipeline
import Evaluation
import Foundation

/// `ml data score [--suites …] [judge flags as in ml score]`
struct DataScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score new answers: heuristic, and judge suites through the scoring engine (as ml score).",
        discussion: "Every answer without a heuristic score is scored; judge suites need a judge (the default local model when no judge flag is given)."
    )

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "Suites, comma-separated: heuristic and any judge suite of ml score (content, capability, …).")
    var suites: String = "heuristic"
    @Option(help: "Judge calls in flight at most.") var concurrency: Int = 4
    @OptionGroup(title: "Judge") var judge: JudgeSelection

    func run() async throws {
        let suiteList: [ScoringSuite]
        do {
            suiteList = try ScoringSuite.parse(suites.split(separator: ",").map(String.init))
        } catch {
            printError("error: --suites: \(error)")
            throw ExitCode.validationFailure
        }
        let (loadedJudge, configuration) = try await judge.loadForCommand(suiteList, concurrency: concurrency)
        let engine = ScoringEngine(
            configuration: configuration,
            judge: loadedJudge.map(judge.judge),
            concurrency: concurrency)
        let report: ScoreStageReport
        do {
            report = try await withWorkspace(workspace) { store in
                try await SignalCancellation.run { try await DataScorer(store: store, engine: engine).run() }
            }
        } catch {
            await loadedJudge?.close()
            throw error
        }
        await loadedJudge?.close()
        print("\(report.answers) answers scored (\(report.scores) scores), \(report.failed) with failures")
        if report.failed > 0 { throw ExitCode.failure }
    }
}
