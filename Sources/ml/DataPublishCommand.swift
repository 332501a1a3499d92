import ArgumentParser
import DataPipeline
import Foundation
import LocalModels

/// `ml data publish --repo ORG/NAME [--private] [--dry-run] [--token T] [--endpoint URL] DIR`
struct DataPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Upload a Parquet export to a Hugging Face Hub dataset repository.",
        discussion: """
            Uploads DIR's train/valid/test .parquet files to data/, its README.md (the dataset card) and manifest.json \
            to the root of the dataset repository ORG/NAME, creating it if missing (private with --private), one \
            commit per file, through the huggingface_hub client in $SWIFT_ML_HOME/venv. The token comes from \
            --token, HF_TOKEN, or the token file (HF_TOKEN_PATH, else $HF_HOME/token, default \
            ~/.cache/huggingface/token); it is never printed. --dry-run lists the files and sizes without a token. \
            The exit status is 1 if any file was not uploaded.
            """
    )

    @Option(help: "The dataset repository, ORG/NAME.") var repo: String
    @Argument(help: "The export directory (ml data export --format parquet).") var directory: String
    @Flag(help: "Create the repository private (when it does not exist yet).") var `private` = false
    @Flag(help: "List what would be uploaded; needs no token.") var dryRun = false
    @Option(help: "The Hub token (else HF_TOKEN or the token file).") var token: String?
    @Option(help: "The Hub's URL (else HF_ENDPOINT, else https://huggingface.co).") var endpoint: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let hub: String
        do {
            try HubPublisher.validateRepository(repo)
            hub = try HubPublisher.endpoint(endpoint, environment: environment)
        } catch {
            printError("error: \(error)")
            throw ExitCode.validationFailure
        }
        let uploads = try HubPublisher.plan(directory: directory)
        let target = "\(hub)/datasets/\(repo)"
        if dryRun {
            print("dry run: would upload to \(target) (\(`private` ? "private" : "public") if created)")
            for upload in uploads {
                print("  \(upload.local.lastPathComponent) → \(upload.remote) (\(upload.bytes) bytes)")
            }
            return
        }
        guard let secret = HubPublisher.token(token, environment: environment) else {
            throw CommandError(.input, "no Hub token: give --token, set HF_TOKEN, or log in (huggingface-cli login writes the token file)")
        }
        let outcomes = try await HubPublisher.publish(
            uploads, repository: repo, endpoint: hub, token: secret, private: `private`,
            python: ToolsPython.default(home: MLPaths().home))
        var failed = 0
        for outcome in outcomes {
            if let error = outcome.error {
                failed += 1
                printError("error: \(outcome.remote): not uploaded: \(error)")
            } else {
                print("uploaded \(outcome.remote)")
            }
        }
        print("\(outcomes.count - failed) of \(outcomes.count) files uploaded to \(target)")
        if failed > 0 { throw ExitCode.failure }
    }
}
