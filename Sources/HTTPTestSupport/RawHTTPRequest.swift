import NIOCore
import NIOPosix

/// One HTTP/1.1 request written byte for byte over a fresh connection, with whatever `Host` header a test
/// chooses (HTTP clients set their own), read until the server closes. Async on NIO, so many can be in flight
/// at once without holding the test's threads.
package enum RawHTTPRequest {
    package struct Reply: Sendable {
        /// The status code of the status line (0 when the reply had none).
        package var status: Int
        /// Everything after the header block (chunked framing included, if the server chose it).
        package var body: String
    }

    /// `GET path` on `127.0.0.1:port` with `Host: host` and `Connection: close`.
    package static func get(port: Int, path: String, host: String) async throws -> Reply {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let text = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"))
            var received = ByteBuffer()
            for try await var chunk in inbound { received.writeBuffer(&chunk) }
            return String(buffer: received)
        }
        let head = text.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return Reply(status: status, body: body)
    }
}
