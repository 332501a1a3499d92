@testable import HTTPStreaming
import Testing

@Suite struct ServerSentEventParserTests {
    func parse(_ chunks: [String]) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return chunks.flatMap { parser.feed(Array($0.utf8)) }
    }

    @Test func lineEndingsLFCRLFAndCR() {
        let expected = ["a", "b"]
        #expect(parse(["data: a\n\ndata: b\n\n"]).map(\.data) == expected)
        #expect(parse(["data: a\r\n\r\ndata: b\r\n\r\n"]).map(\.data) == expected)
        #expect(parse(["data: a\r\rdata: b\r\r"]).map(\.data) == expected)
    }

    @Test func crlfSplitAcrossChunksIsOneLineEnd() {
        #expect(parse(["data: a\r", "\n\r", "\ndata: b\r\n\r\n"]).map(\.data) == ["a", "b"])
    }

    @Test func multiLineDataCommentsAndFields() {
        let events = parse([": keep-alive\n", "event: update\nid: 7\nretry: 1500\ndata: one\ndata:two\ndata\n\n"])
        #expect(events == [ServerSentEvent(event: "update", data: "one\ntwo\n", id: "7", retry: 1500)])
    }

    @Test func eventWithoutDataIsNotDispatchedAndTrailingEventIsDropped() {
        #expect(parse(["event: x\n\n", "data: tail"]).isEmpty)
    }

    @Test func multiByteCharacterSplitAcrossChunks() {
        let bytes = Array("data: héllo 🌍\n\n".utf8)
        // Split inside the 2-byte é and inside the 4-byte emoji.
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for range in [0..<8, 8..<14, 14..<16, 16..<bytes.count] { events += parser.feed(bytes[range]) }
        #expect(events.map(\.data) == ["héllo 🌍"])
    }

    @Test func byteOrderMarkAndNoSpaceAfterColon() {
        #expect(parse(["\u{FEFF}data:x\n\n"]).map(\.data) == ["x"])
        #expect(parse(["data:  two spaces\n\n"]).map(\.data) == [" two spaces"])
    }

    @Test func idPersistsAcrossEvents() {
        let events = parse(["id: 1\ndata: a\n\ndata: b\n\n"])
        #expect(events.map(\.id) == ["1", "1"])
    }
}
