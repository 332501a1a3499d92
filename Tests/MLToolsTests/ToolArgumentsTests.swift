import JSONValues
import Testing

@testable import MLTools

@Suite struct ToolArgumentsTests {
    @Test func typedReadsAndTheirErrors() throws {
        let arguments = ToolArguments([
            "name": .string("x"), "count": .number(3), "ratio": .number(0.5), "flag": .bool(true),
            "list": .array([.string("a"), .string("b")]), "one": .string("c"), "bad": .number(2.5), "null": .null,
        ])
        #expect(try arguments.string("name") == "x")
        #expect(try arguments.string("null") == nil && arguments.string("absent") == nil)
        #expect(try arguments.int("count", in: 1...10) == 3)
        #expect(try arguments.double("ratio", in: 0...1) == 0.5)
        #expect(try arguments.bool("flag") == true)
        #expect(try arguments.strings("list") == ["a", "b"] && arguments.strings("one") == ["c"])
        #expect(throws: ToolError.self) { try arguments.int("bad", in: 1...10) }
        #expect(throws: ToolError.self) { try arguments.int("count", in: 4...10) }
        #expect(throws: ToolError.self) { try arguments.string("count") }
        #expect(throws: ToolError.self) { try arguments.requiredString("absent") }
        do {
            _ = try arguments.double("name", in: 0...2)
        } catch let error as ToolError {
            #expect(error.code == .invalidArgument && error.message == "'name' must be a number from 0.0 to 2.0")
        }
    }

    @Test func unknownArgumentsAreRefusedListingTheKnownOnes() async throws {
        let tool = MLTool(name: "t", title: "T", description: "d",
                          inputSchema: ToolSchema.object([("a", ToolSchema.string("A")), ("b", ToolSchema.boolean("B"))]),
                          readOnly: true) { _, _ in ToolOutput(structured: .null, text: "ran") }
        #expect(try await tool.call(["a": .string("x")]).text == "ran")
        do {
            _ = try await tool.call(["a": .string("x"), "c": .number(1)])
            Issue.record("an unknown argument was accepted")
        } catch let error as ToolError {
            #expect(error.message == "unknown argument 'c'; t takes a, b")
        }
    }
}
