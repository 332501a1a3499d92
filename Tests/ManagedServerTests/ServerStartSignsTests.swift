import ManagedServer
import Testing

/// The one decision of a start: ready, not yet, or failed for good with the process still running.
@Suite struct ServerStartSignsTests {
    static let mlx = ServerStartSigns(
        failedHealthBodies: [#""status": "unavailable""#],
        failedOutput: ["generation thread died"],
        loadedOutput: "model loaded")
    static let unavailable = ServerStartSigns.HealthAnswer(status: 503, body: #"{"status": "unavailable"}"#)
    static let ok = ServerStartSigns.HealthAnswer(status: 200, body: #"{"status": "ok"}"#)

    @Test func aHealthAnswerThatSaysFailedFailsTheStart() {
        let verdict = Self.mlx.verdict(health: Self.unavailable, output: ["Starting httpd"], isOurs: true)
        #expect(verdict == .failed(#"its health check answered 503 {"status": "unavailable"}"#))
    }

    @Test func anOutputLineThatSaysFailedFailsTheStartWhateverTheHealth() {
        let output = ["Starting httpd", "ERROR:root:mlx_lm.server generation thread died: Expecting value", "Traceback"]
        for health in [nil, Self.ok, Self.unavailable] {
            #expect(
                Self.mlx.verdict(health: health, output: output, isOurs: true)
                    == .failed(#"its output says "ERROR:root:mlx_lm.server generation thread died: Expecting value""#))
        }
    }

    @Test func loadingIsNotAFailure() {
        // llama-server while it loads: 503 with a body that is not a failure sign.
        let loading = ServerStartSigns.HealthAnswer(
            status: 503, body: #"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#)
        let llama = ServerStartSigns(failedOutput: ["failed to load model"])
        #expect(llama.verdict(health: loading, output: ["loading"], isOurs: true) == .notYet)
        #expect(llama.verdict(health: nil, output: [], isOurs: false) == .notYet)
        #expect(llama.verdict(health: Self.ok, output: [], isOurs: true) == .ready)
        #expect(llama.verdict(health: Self.ok, output: [], isOurs: false) == .notYet, "another process's answer")
    }

    @Test func aServerThatAnswersWhileLoadingIsReadyOnlyOnceLoaded() {
        #expect(Self.mlx.verdict(health: Self.ok, output: ["Starting httpd"], isOurs: true) == .notYet)
        #expect(Self.mlx.verdict(health: Self.ok, output: ["Starting httpd", "model loaded"], isOurs: true) == .ready)
    }

    @Test func aFailedAnswerFromAnotherProcessIsNotOurs() {
        #expect(Self.mlx.verdict(health: Self.unavailable, output: [], isOurs: false) == .notYet)
    }

    @Test func noSignsMeansOnly200Counts() {
        let none = ServerStartSigns()
        #expect(none.verdict(health: Self.unavailable, output: ["generation thread died"], isOurs: true) == .notYet)
        #expect(none.verdict(health: Self.ok, output: [], isOurs: true) == .ready)
    }
}
