import Testing

@testable import ManagedServer

@Suite struct OneShotSignalTests {
    @Test func everyWaiterGetsTheFirstValue() async {
        let signal = OneShotSignal<Int32>()
        async let first = signal.wait()
        async let second = signal.waitUninterruptibly()
        try? await Task.sleep(for: .milliseconds(20))
        signal.fire(7)
        signal.fire(8)
        #expect(await first == 7)
        #expect(await second == 7)
        #expect(signal.value == 7)
        #expect(await signal.wait(timeout: .milliseconds(1)) == 7, "an arrived value is returned at once")
    }

    @Test func timeoutAndCancellationReturnNil() async {
        let signal = OneShotSignal<Int32>()
        let started = ContinuousClock.now
        #expect(await signal.wait(timeout: .milliseconds(50)) == nil)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
        let waiter = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == nil)
        // An uncancellable wait ignores cancellation until the value arrives.
        let stubborn = Task { await signal.wait(timeout: .seconds(5), cancellable: false) }
        stubborn.cancel()
        try? await Task.sleep(for: .milliseconds(20))
        signal.fire(1)
        #expect(await stubborn.value == 1)
    }
}
