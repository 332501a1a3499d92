import Foundation
import Inference
import Testing

@Suite struct InferenceErrorTests {
    struct Cause: Error, Equatable { let detail: String }

    @Test func wrappingKeepsTheUnderlyingErrorAndTheMessage() throws {
        let error = InferenceError(.transport, "http://x: refused", status: 502, underlying: Cause(detail: "refused"))
        #expect(error.description == "transport (HTTP 502): http://x: refused")
        #expect(try #require(error.underlying as? Cause) == Cause(detail: "refused"))
    }

    @Test func equalityIgnoresTheUnderlyingError() {
        let plain = InferenceError(.timeout, "slow")
        #expect(plain == InferenceError(.timeout, "slow", underlying: Cause(detail: "a")))
        #expect(plain != InferenceError(.timeout, "slower"))
        #expect(Set([plain, InferenceError(.timeout, "slow", underlying: Cause(detail: "b"))]).count == 1)
    }
}
