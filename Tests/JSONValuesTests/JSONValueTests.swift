import Foundation
import JSONValues
import Testing

@Suite struct JSONValueTests {
    @Test func booleansNumbersAndStringsStayApart() throws {
        let value = try #require(JSONValue.parse(#"{"b":true,"n":1,"z":0,"s":"1","a":[null,2.5],"o":{}}"#))
        #expect(value["b"] == .bool(true))
        #expect(value["n"] == .number(1))
        #expect(value["z"] == .number(0), "0 is a number, not false")
        #expect(value["s"] == .string("1"))
        #expect(value["a"] == .array([.null, .number(2.5)]))
        #expect(value["o"] == .object([:]))
        #expect(JSONValue.parse("{not json") == nil)
        #expect(value.typeName == "object" && value["a"]?.typeName == "array" && value["b"]?.typeName == "boolean")
    }

    @Test func integralNumbersAreWrittenWithoutAFraction() throws {
        let data = try JSONEncoder().encode(JSONValue.array([.number(160), .number(0.05), .number(-3)]))
        #expect(String(decoding: data, as: UTF8.self) == "[160,0.05,-3]")
        #expect(JSONValue.array([.int(160), .double(0.05), .double(.nan)]).serialized() == "[160,0.05,null]")
    }

    @Test func serializedTextSortsKeysEscapesAndIndents() {
        let value = JSONValue.object([("z", .string("a\"b\\c\n\u{1}é")), ("a", .array([.bool(false), .null]))])
        #expect(value.serialized() == #"{"a":[false,null],"z":"a\"b\\c\n\u0001é"}"#)
        #expect(value.serialized(indent: 2) == "{\n  \"a\": [\n    false,\n    null\n  ],\n  \"z\": \"a\\\"b\\\\c\\n\\u0001é\"\n}")
        #expect(JSONValue.object([:]).serialized(indent: 2) == "{}")
    }

    @Test func readersAreTyped() {
        #expect(JSONValue.number(8).intValue == 8)
        #expect(JSONValue.number(8.5).intValue == nil)
        #expect(JSONValue.number(-1).uint64Value == nil)
        #expect(JSONValue.number(4_294_967_296).uint64Value == 4_294_967_296)
        #expect(JSONValue.string("x").doubleValue == nil)
        #expect(JSONValue.object([("k", .string("v"))])["k"]?.stringValue == "v")
    }
}
