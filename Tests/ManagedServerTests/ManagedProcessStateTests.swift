import ManagedServer
import Testing

@Suite struct ManagedProcessStateTests {
    @Test func normalLifecycle() {
        var state = ManagedProcessState(name: "llama-server")
        #expect(state.phase == .idle && !state.isAlive)
        #expect(state.spawned(pid: 42) == .pollHealth)
        #expect(!state.isReady && state.isAlive)
        #expect(state.healthy() == .markReady)
        #expect(state.isReady)
        #expect(state.stopRequested() == .terminate(pid: 42))
        #expect(state.phase == .stopping(pid: 42, failure: nil))
        #expect(!state.isReady && state.isAlive)
        #expect(state.processExited(status: 0) == .none)
        #expect(state.phase == .exited(status: 0, expected: true))
        #expect(!state.isAlive)
    }

    @Test func stubbornProcessIsKilledAfterTheGracePeriod() {
        var state = ManagedProcessState(name: "llama-server")
        _ = state.spawned(pid: 5)
        _ = state.healthy()
        #expect(state.stopRequested() == .terminate(pid: 5))
        #expect(state.stopRequested() == .none, "a second stop does not signal again")
        #expect(state.gracePeriodExpired() == .kill(pid: 5))
        #expect(state.processExited(status: 137) == .none)
        #expect(state.phase == .exited(status: 137, expected: true))
        #expect(state.gracePeriodExpired() == .none, "nothing to kill after the exit")
        #expect(state.stopRequested() == .none, "stop is idempotent")
    }

    @Test func crashWhileReadyIsReported() {
        var state = ManagedProcessState(name: "llama-server")
        _ = state.spawned(pid: 7)
        _ = state.healthy()
        #expect(state.processExited(status: 137) == .reportCrash(status: 137))
        #expect(state.phase == .exited(status: 137, expected: false))
        #expect(state.processExited(status: 137) == .none, "one exit, one report")
    }

    @Test func exitWhileStartingIsAStartFailure() {
        var state = ManagedProcessState(name: "llama-server")
        _ = state.spawned(pid: 7)
        #expect(
            state.processExited(status: 1)
                == .reportStartFailure("llama-server exited with status 1 before it was ready")
        )
        #expect(state.phase == .failed("llama-server exited with status 1 before it was ready"))
        #expect(state.healthy() == .none, "a dead process cannot become ready")
        #expect(!state.isReady && !state.isAlive)
    }

    @Test func exitBeforeTheSpawnIsRecordedIsAStartFailure() {
        var state = ManagedProcessState(name: "llama-server")
        #expect(
            state.processExited(status: 127)
                == .reportStartFailure("llama-server exited with status 127 before it was ready")
        )
        #expect(state.spawned(pid: 3) == .none)
        #expect(!state.isAlive)
    }

    @Test func healthDeadlineStopsTheProcessThenReportsTheFailure() {
        var state = ManagedProcessState(name: "llama-server")
        _ = state.spawned(pid: 9)
        #expect(state.healthDeadlinePassed("late") == .terminate(pid: 9))
        #expect(state.phase == .stopping(pid: 9, failure: "late"))
        #expect(state.healthy() == .none, "too late to become ready")
        #expect(state.gracePeriodExpired() == .kill(pid: 9))
        #expect(state.processExited(status: 143) == .reportStartFailure("late"))
        #expect(state.phase == .failed("late"))
    }

    @Test func stopBeforeReadyAndDeadlineAfterReadyDoNothingSurprising() {
        var state = ManagedProcessState(name: "llama-server")
        #expect(state.stopRequested() == .none, "nothing to stop before the spawn")
        #expect(state.gracePeriodExpired() == .none)
        _ = state.spawned(pid: 11)
        #expect(state.stopRequested() == .terminate(pid: 11), "a start can be abandoned")
        #expect(state.processExited(status: 143) == .none)
        #expect(state.phase == .exited(status: 143, expected: true))

        var ready = ManagedProcessState(name: "llama-server")
        _ = ready.spawned(pid: 12)
        _ = ready.healthy()
        #expect(ready.healthDeadlinePassed("late") == .none, "the deadline only applies while starting")
        #expect(ready.isReady)
    }
}
