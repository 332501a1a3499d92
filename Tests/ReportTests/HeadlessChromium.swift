import ChildProcess
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real headless Chromium (Debian's `chromium`, installed by `scripts/setup`) driven over the DevTools protocol
/// on a pipe (`--remote-debugging-pipe`: requests on fd 3, replies and events on fd 4, NUL-separated JSON), so no
/// websocket client is needed. One page per instance; console errors and uncaught exceptions are collected.
final class HeadlessChromium: Sendable {
    /// The browser, or nil when not installed (under `CI=true` callers must fail instead of skipping).
    static var executable: String? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["SWIFT_ML_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        return candidates.compactMap { $0 }.first(where: ExecutableLookup.isExecutableFile)
    }

    static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// Runs when installed, and in CI always (so a missing browser fails there instead of skipping).
    static var shouldRun: Bool { executable != nil || isRequired }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private struct State {
        var nextID = 1
        var waiting: [Int: CheckedContinuation<Data, any Error>] = [:]
        var errors: [String] = []
        var closed = false
    }

    let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: URL
    private let state = Mutex(State())
    private let sessionID = Mutex<String?>(nil)

    /// Starts the browser with an empty profile under `directory` and opens one blank page.
    static func launch(in directory: URL) async throws -> HeadlessChromium {
        guard let executable else {
            throw Failure(description: "chromium is not installed: run scripts/setup (Debian package chromium)")
        }
        let browser = try await HeadlessChromium(executable: executable, directory: directory)
        let target = try await browser.call("Target.createTarget", ["url": "about:blank"], session: false)
        guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target: \(target)") }
        let attached = try await browser.call("Target.attachToTarget", ["targetId": targetID, "flatten": true], session: false)
        browser.sessionID.withLock { $0 = attached["sessionId"] as? String }
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] { _ = try await browser.call(domain) }
        _ = try await browser.call("Emulation.setDeviceMetricsOverride",
                                   ["width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false])
        return browser
    }

    private init(executable: String, directory: URL) async throws {
        profile = directory.appendingPathComponent("chromium-profile")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        guard pipe(&input) == 0, pipe(&output) == 0 else { throw Failure(description: "pipe failed") }
        for fd in input + output { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let arguments = [executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                         "--user-data-dir=\(profile.path)", "about:blank"]
        let childIn = input[0], childOut = output[1]
        let spawned: pid_t = try await SpawnThread.shared.run {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, childIn, 3)
            posix_spawn_file_actions_adddup2(&actions, childOut, 4)
            let devNull = "/dev/null"
            posix_spawn_file_actions_addopen(&actions, 1, devNull, O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, devNull, O_WRONLY, 0)
            var argv = arguments.map { strdup($0) } + [nil]
            defer { for p in argv { free(p) } }
            var pid: pid_t = 0
            let rc = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
            guard rc == 0 else { throw Failure(description: "cannot start \(executable): errno \(rc)") }
            return pid
        }
        pid = spawned
        Glibc.close(input[0])
        Glibc.close(output[1])
        toBrowser = input[1]
        fromBrowser = output[0]
        let thread = Thread { [self] in readLoop() }
        thread.name = "chromium-devtools"
        thread.start()
    }

    // MARK: - Protocol

    /// Sends a command (to the page's session unless `session` is false) and returns its `result`.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], session: Bool = true) async throws -> [String: Any] {
        let id = state.withLock { s -> Int in defer { s.nextID += 1 }; return s.nextID }
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if session, let sessionID = sessionID.withLock({ $0 }) { message["sessionId"] = sessionID }
        let bytes = try JSONSerialization.data(withJSONObject: message) + Data([0])
        let reply: Data = try await withCheckedThrowingContinuation { continuation in
            let closed = state.withLock { s -> Bool in
                if s.closed { return true }
                s.waiting[id] = continuation
                return false
            }
            if closed { continuation.resume(throwing: Failure(description: "browser closed")); return }
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(toBrowser, raw.baseAddress! + offset, raw.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
        let object = try JSONSerialization.jsonObject(with: reply) as? [String: Any] ?? [:]
        if let error = object["error"] { throw Failure(description: "\(method): \(error)") }
        return object["result"] as? [String: Any] ?? [:]
    }

    private func readLoop() {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fromBrowser, &chunk, chunk.count)
            if n <= 0 { break }
            buffer.append(contentsOf: chunk[0..<n])
            while let end = buffer.firstIndex(of: 0) {
                let message = buffer[buffer.startIndex..<end]
                buffer = Data(buffer[(end + 1)...])
                handle(Data(message))
            }
        }
        let pending = state.withLock { s -> [CheckedContinuation<Data, any Error>] in
            s.closed = true
            defer { s.waiting = [:] }
            return Array(s.waiting.values)
        }
        for continuation in pending { continuation.resume(throwing: Failure(description: "browser closed")) }
    }

    private func handle(_ data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        if let id = object["id"] as? Int {
            let continuation = state.withLock { $0.waiting.removeValue(forKey: id) }
            continuation?.resume(returning: data)
            return
        }
        let params = object["params"] as? [String: Any] ?? [:]
        var error: String?
        switch object["method"] as? String {
        case "Runtime.consoleAPICalled" where params["type"] as? String == "error":
            let args = params["args"] as? [[String: Any]] ?? []
            error = "console.error: " + args.map { "\($0["value"] ?? $0["description"] ?? "")" }.joined(separator: " ")
        case "Runtime.exceptionThrown":
            let details = params["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = details["exception"] as? [String: Any] ?? [:]
            error = "exception: \(exception["description"] ?? details["text"] ?? "")"
        case "Log.entryAdded":
            let entry = params["entry"] as? [String: Any] ?? [:]
            if entry["level"] as? String == "error" { error = "log: \(entry["text"] ?? "") \(entry["url"] ?? "")" }
        default: break
        }
        if let error { state.withLock { $0.errors.append(error) } }
    }

    // MARK: - Page helpers

    /// Console errors, uncaught exceptions and error log entries seen so far.
    var errors: [String] { state.withLock { $0.errors } }

    /// Loads `url` and waits for the load to complete.
    func open(_ url: String) async throws {
        try await call("Page.navigate", ["url": url])
        try await waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", timeout: .seconds(30))
    }

    /// Evaluates `expression` in the page (promises awaited) and returns its JSON value.
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] { throw Failure(description: "\(expression): \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    func number(_ expression: String) async throws -> Int {
        guard let value = try await evaluate(expression) as? NSNumber else {
            throw Failure(description: "\(expression) is not a number")
        }
        return value.intValue
    }

    func string(_ expression: String) async throws -> String? { try await evaluate(expression) as? String }

    /// Polls until `condition` (a JavaScript boolean expression) is true.
    func waitFor(_ condition: String, timeout: Duration) async throws {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if (try? await evaluate(condition)) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "timed out waiting for \(condition)")
    }

    /// Scrolls the element matching `selector` into view and moves the real mouse pointer onto its centre.
    func hover(_ selector: String) async throws {
        let (x, y) = try await center(selector)
        try await call("Input.dispatchMouseEvent", ["type": "mouseMoved", "x": x, "y": y])
    }

    /// Clicks the centre of the element matching `selector` with the mouse.
    func click(_ selector: String) async throws {
        let (x, y) = try await center(selector)
        try await call("Input.dispatchMouseEvent", ["type": "mouseMoved", "x": x, "y": y])
        for type in ["mousePressed", "mouseReleased"] {
            try await call("Input.dispatchMouseEvent", ["type": type, "x": x, "y": y, "button": "left", "clickCount": 1])
        }
    }

    private func center(_ selector: String) async throws -> (Double, Double) {
        let quoted = String(decoding: try JSONSerialization.data(withJSONObject: [selector]), as: UTF8.self)
        let script = """
            (() => { const el = document.querySelector(\(quoted)[0]); el.scrollIntoView({block: "center", inline: "center"});
              const r = el.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()
            """
        guard let point = try await evaluate(script) as? [NSNumber], point.count == 2 else {
            throw Failure(description: "no element \(selector)")
        }
        return (point[0].doubleValue, point[1].doubleValue)
    }

    /// A PNG of the whole page, written to `path`.
    func screenshot(to path: URL) async throws {
        let result = try await call("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot data")
        }
        try data.write(to: path)
    }

    /// Closes the browser and waits for it (killing it if it does not exit within 5 s).
    func close() async {
        _ = try? await call("Browser.close", session: false)
        let end = ContinuousClock.now + .seconds(5)
        var status: Int32 = 0
        while ContinuousClock.now < end {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        Glibc.close(toBrowser)
        Glibc.close(fromBrowser)
    }
}
