import ChildProcess
import Foundation
import Logging

/// What a finished command left (``ChildProcessResult``): status, standard output, standard error.
typealias CommandResult = ChildProcessResult

/// The transports' way to run a command: ``ChildProcess/run(_:input:output:mergeErrorIntoOutput:workingDirectory:environment:)``
/// (argument arrays, pipes drained, cancellation terminates the program) with its errors as ``TransportError``s —
/// the codes and messages the transports have always reported, the ``ChildProcessError`` kept as `underlying`.
enum CommandRunner {
    static let logger = Logger(label: "swift-ml.transport")

    static func run(
        _ arguments: [String],
        input: URL? = nil,
        output: URL? = nil,
        workingDirectory: URL? = nil
    ) async throws -> CommandResult {
        logger.debug("running", metadata: ["command": "\(arguments)"])
        do {
            return try await ChildProcess.run(arguments, input: input, output: output, workingDirectory: workingDirectory)
        } catch let error as ChildProcessError {
            throw TransportError(transportCode(error.code), error.message, underlying: error)
        }
    }

    private static func transportCode(_ code: ChildProcessErrorCode) -> TransportError.Code {
        switch code {
        case .invalidArgument: .invalidArgument
        case .inputUnreadable: .notFound
        case .outputUnwritable: .copyFailed
        default: .launchFailed
        }
    }
}
