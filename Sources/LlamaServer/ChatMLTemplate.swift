import Inference

/// A ChatML chat template rendered here, saving the `/apply-template` round trip (about 2 ms) on every chat
/// request — used only when the server's own renderings of ``calibration`` match it exactly, so it never renders
/// differently from the model's template. Anything else (other template families, content-dependent templates,
/// roles beyond system / user / assistant) keeps asking the server.
struct ChatMLTemplate: Sendable, Hashable {
    /// What the template puts before the first message when that is not a system message (SmolLM2 adds a
    /// default system prompt, for instance); empty when it adds nothing.
    var implicitSystemPrefix: String

    static let roles: Set<Message.Role> = [.system, .user, .assistant]

    /// Whether ``render(_:)`` covers `messages`.
    static func covers(_ messages: [Message]) -> Bool {
        !messages.isEmpty && messages.allSatisfy { roles.contains($0.role) }
    }

    /// The prompt for `messages`, ending with the assistant's generation prompt.
    func render(_ messages: [Message]) -> String {
        (messages.first?.role == .system ? "" : implicitSystemPrefix) + Self.turns(messages) + "<|im_start|>assistant\n"
    }

    static func turns(_ messages: [Message]) -> String {
        var text = ""
        for message in messages { text += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n" }
        return text
    }

    /// Conversations whose renderings decide whether the model's template is ChatML: with and without a system
    /// message, several turns, whitespace at the edges of content (templates that trim differ), reasoning blocks
    /// in assistant history (templates that strip them differ), markup and non-ASCII text.
    static let calibration: [[Message]] = [
        [.system("Be brief."), .user("Hello there")],
        [.user("  spaced \n content\n ")],
        [.user("Q1"), .assistant("<think>r</think>A1"), .user("Q2 with {braces}, <b>tags</b> and \"quotes\"")],
        [.system("S\n"), .user("U"), .assistant(" A "), .user("Grüße — 你好")],
    ]

    /// The template, if `rendered` (the server's renderings of ``calibration``, in order) all match ChatML with one
    /// implicit system prefix; nil otherwise.
    static func calibrate(rendered: [String]) -> ChatMLTemplate? {
        guard rendered.count == calibration.count else { return nil }
        let implicit = turns(calibration[1]) + "<|im_start|>assistant\n"
        guard rendered[1].hasSuffix(implicit) else { return nil }
        let template = ChatMLTemplate(implicitSystemPrefix: String(rendered[1].dropLast(implicit.count)))
        for (messages, text) in zip(calibration, rendered) where template.render(messages) != text { return nil }
        return template
    }
}
