import Inference

/// The string-level API: whole-text generation and chat.
public protocol Backend: Sendable {
    var name: String { get }
    var isAvailable: Bool { get }
    /// Whether ``GenOpts/responseFormat`` is honoured (schema-constrained output).
    var supportsResponseFormat: Bool { get }

    func generate(_ prompt: String, opts: GenOpts) async throws -> GenerationResult
    func chat(_ messages: [Message], opts: GenOpts) async throws -> GenerationResult
}

extension Backend {
    public var supportsResponseFormat: Bool { false }
}

/// A backend that delivers each token as it is generated.
///
/// The callback runs once per token, in order; if it throws, generation stops and the error is rethrown
/// (wrapped in ``GenerationFailure`` with the text so far).
public protocol StreamingBackend: Backend {
    func generateStream(
        _ prompt: String,
        opts: GenOpts,
        onToken: @escaping @Sendable (Token) async throws -> Void
    ) async throws -> GenerationResult

    func chatStream(
        _ messages: [Message],
        opts: GenOpts,
        onToken: @escaping @Sendable (Token) async throws -> Void
    ) async throws -> GenerationResult
}
