import LlamaServer
import Testing

@Suite struct LlamaProcessStateTests {
    @Test func normalLifecycle() {
        var state = LlamaProcessState()
        #expect(state.spawned(pid: 42) == .pollHealth)
        #expect(!state.isReady && state.isAlive)
        #expect(state.healthy() == .markReady)
        #expect(state.isReady)
        #expect(state.stopRequested() == .sendTerminate(pid: 42))
        #expect(state.processExited(status: 0) == .none)
        #expect(state.phase == .exited(status: 0, expected: true))
        #expect(!state.isAlive)
    }

    @Test func crashWhileReadyIsReported() {
        var state = LlamaProcessState()
        _ = state.spawned(pid: 7)
        _ = state.healthy()
        #expect(state.processExited(status: 137) == .reportCrash(status: 137))
        #expect(state.phase == .exited(status: 137, expected: false))
    }

    @Test func exitWhileStartingIsAStartFailure() {
        var state = LlamaProcessState()
        _ = state.spawned(pid: 7)
        #expect(state.processExited(status: 1) == .reportStartFailure("llama-server exited with status 1 while starting"))
        #expect(state.healthy() == .none, "a dead process cannot become ready")
    }

    @Test func healthDeadlineStopsTheProcess() {
        var state = LlamaProcessState()
        _ = state.spawned(pid: 9)
        #expect(state.healthDeadlinePassed("late") == .reportStartFailure("late"))
        #expect(state.phase == .stopping(pid: 9))
        #expect(state.processExited(status: 143) == .none)
    }

    @Test func settingsBecomeArgumentsNeverAShellString() {
        let settings = LlamaServerSettings(executable: "/x", contextLength: 2048, threads: 2, parallelSlots: 3, gpuLayers: 0, loraAdapters: ["/a b;$(x)"])
        let arguments = settings.arguments(model: "/m.gguf", port: 1234)
        #expect(arguments == [
            "-m", "/m.gguf", "--host", "127.0.0.1", "--port", "1234", "--parallel", "3",
            "--ctx-size", "2048", "--threads", "2", "--n-gpu-layers", "0", "--lora", "/a b;$(x)",
        ])
    }
}
