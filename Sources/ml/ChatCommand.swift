import ArgumentParser
import Foundation
import Inference
import Synchronization

struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat interactively, streaming answers.",
        discussion: """
            Commands: /reset clears the history, /system TEXT sets the system message, /exit quits.
            Ctrl-C stops the current answer, not the session. Works with piped input too.
            """
    )

    @OptionGroup var selection: ModelSelection
    @Option(help: "Most tokens per answer.") var maxTokens: Int = 512
    @Option(help: "Sampling temperature.") var temperature: Double = 0.7
    @Option(help: "Initial system message.") var system: String?

    func run() async throws {
        let model = try await selection.load()
        let interactive = isatty(STDIN_FILENO) != 0
        var session = ChatSession(system: system)
        let interrupts = await InterruptWatcher.start()
        defer { interrupts.stop() }
        while true {
            if interactive { StandardOutput.write("> ") }
            guard let line = readLine() else { break }
            switch session.handle(line) {
            case .exit: await model.close(); return
            case .handled(let note): if let note { print(note) }
            case .ask(let messages):
                let options = GenerateOptions(maxTokens: maxTokens, temperature: temperature)
                let answer = Task {
                    try await model.reply(messages, options: options) { token in StandardOutput.write(token.text) }
                }
                interrupts.onInterrupt = { answer.cancel() }
                let result = await answer.result
                interrupts.onInterrupt = nil
                StandardOutput.write("\n")
                switch result {
                case .success(let generation): session.record(answer: generation.text)
                case .failure(let failure as GenerationFailure):
                    if failure.underlying is CancellationError || answer.isCancelled {
                        session.record(answer: failure.partialText)
                        printError("(stopped)")
                    } else {
                        printError("error: \(failure.underlying)")
                    }
                case .failure(let error): printError("error: \(error)")
                }
            }
        }
        await model.close()
    }
}

/// The conversation state of `ml chat`, kept apart from I/O so it can be tested.
struct ChatSession {
    enum Action: Equatable {
        case exit
        case handled(String?)
        case ask([Message])
    }

    private(set) var system: String?
    private(set) var history: [Message] = []

    init(system: String?) { self.system = system }

    mutating func handle(_ line: String) -> Action {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .handled(nil) }
        if trimmed == "/exit" || trimmed == "/quit" { return .exit }
        if trimmed == "/reset" {
            history.removeAll()
            return .handled("(history cleared)")
        }
        if trimmed.hasPrefix("/system") {
            let text = trimmed.dropFirst("/system".count).trimmingCharacters(in: .whitespaces)
            system = text.isEmpty ? nil : text
            return .handled(system == nil ? "(system message removed)" : "(system message set)")
        }
        history.append(.user(line))
        return .ask((system.map { [Message.system($0)] } ?? []) + history)
    }

    mutating func record(answer: String) {
        history.append(.assistant(answer))
    }
}

/// Turns SIGINT into a callback while one is set (stopping the answer being written); otherwise Ctrl-C ends the
/// program as usual.
final class InterruptWatcher: Sendable {
    private let handler = Mutex<(@Sendable () -> Void)?>(nil)
    private let watch = Mutex<SignalWatch?>(nil)

    static func start() async -> InterruptWatcher {
        let watcher = InterruptWatcher()
        let watch = await SignalWatch.start([.sigint]) { _ in
            if let handler = watcher.onInterrupt { handler() } else { exit(130) }
        }
        watcher.watch.withLock { $0 = watch }
        return watcher
    }

    var onInterrupt: (@Sendable () -> Void)? {
        get { handler.withLock { $0 } }
        set { handler.withLock { $0 = newValue } }
    }

    func stop() { watch.withLock { $0 }?.cancel() }
}
