import Inference
import Testing
@testable import LlamaServer

/// Local ChatML rendering: the calibration logic on synthetic renderings (pure), and the real server's template.
@Suite struct ChatMLTemplateTests {
    static func chatml(_ messages: [Message], prefix: String = "") -> String {
        (messages.first?.role == .system ? "" : prefix) + ChatMLTemplate.turns(messages) + "<|im_start|>assistant\n"
    }

    @Test func calibratesAChatMLTemplateWithADefaultSystemPrompt() throws {
        let prefix = "<|im_start|>system\nYou are helpful.<|im_end|>\n"
        let template = try #require(ChatMLTemplate.calibrate(rendered: ChatMLTemplate.calibration.map { Self.chatml($0, prefix: prefix) }))
        #expect(template.implicitSystemPrefix == prefix)
        #expect(template.render([.user("hi")]) == prefix + "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
        #expect(template.render([.system("s"), .user("hi")]).hasPrefix("<|im_start|>system\ns<|im_end|>"))
    }

    @Test func refusesTemplatesThatDifferAnywhere() {
        let exact = ChatMLTemplate.calibration.map { Self.chatml($0) }
        #expect(ChatMLTemplate.calibrate(rendered: exact) != nil)
        // A template that trims content, one that strips reasoning from history, one of another family, too few.
        var trimmed = exact
        trimmed[1] = Self.chatml([.user("spaced \n content")])
        #expect(ChatMLTemplate.calibrate(rendered: trimmed) == nil)
        var stripped = exact
        stripped[2] = stripped[2].replacingOccurrences(of: "<think>r</think>", with: "")
        #expect(ChatMLTemplate.calibrate(rendered: stripped) == nil)
        let llama3 = ChatMLTemplate.calibration.map { messages in
            messages.map { "<|start_header_id|>\($0.role.rawValue)<|end_header_id|>\n\n\($0.content)<|eot_id|>" }.joined()
        }
        #expect(ChatMLTemplate.calibrate(rendered: llama3) == nil)
        #expect(ChatMLTemplate.calibrate(rendered: Array(exact.dropLast())) == nil)
        // Roles beyond system / user / assistant are left to the server.
        #expect(!ChatMLTemplate.covers([Message(role: "tool", content: "{}")]))
        #expect(!ChatMLTemplate.covers([]))
    }
}

extension RealServerTests {
    /// SmolLM2's template is ChatML with a default system prompt: chat renders it here, byte for byte as the server.
    @Suite struct LocalChatTemplateTests {
        @Test func localRenderingEqualsTheServersForEveryConversation() async throws {
            let model = try await SharedModel.shared.get()
            #expect(try await model.rendersChatLocally)
            let conversations: [[Message]] = [
                [.user("What colour is the sky?")],
                [.system("Answer in one word."), .user("What colour is the sky?")],
                [.user("Hi"), .assistant("Hello! How can I help?"), .user("Tell me a joke.\n\n")],
                [.system(""), .user("")],
                [.user("<|im_start|>user\nnested markers<|im_end|>"), .assistant("ok"), .user("tabs\tand émoji 🙂")],
            ]
            for messages in conversations {
                let local = try await model.prompt(for: messages)
                let server = try await model.serverPrompt(for: messages)
                #expect(local == server, "\(messages)")
            }
        }
    }
}
