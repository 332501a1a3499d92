import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves the report live: `GET /report` (the page, polling for changes), `GET /report/data` (the data as JSON,
/// with its version), `GET /report/version` (what the page polls); `/` redirects to `/report`. The data is rebuilt
/// only when the sources' stamp changed. Read-only; binds loopback unless told otherwise.
public struct ReportServer: Sendable {
    public let sources: ReportSources
    public let host: String
    public let port: Int
    public let title: String
    private let cache = Cache()

    public init(sources: ReportSources, host: String = "127.0.0.1", port: Int = 8091, title: String = "swift-ml report") {
        self.sources = sources
        self.host = host
        self.port = port
        self.title = title
    }

    /// The latest data, rebuilt when the sources changed since the last call.
    final class Cache: Sendable {
        private let state = Mutex<(stamp: String, data: ReportData)?>(nil)

        func current(_ sources: ReportSources) async -> (stamp: String, data: ReportData) {
            let stamp = await sources.stamp()
            if let cached = state.withLock({ $0 }), cached.stamp == stamp { return cached }
            let data = ReportBuilder.build(await sources.load())
            state.withLock { $0 = (stamp, data) }
            return (stamp, data)
        }
    }

    /// The current version (cheap: the sources' stamp).
    public func version() async -> String { await sources.stamp() }

    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { _, _ in
            Response(status: .seeOther, headers: [.location: "/report"])
        }
        router.get("/report") { _, _ in
            let (stamp, data) = await cache.current(sources)
            let page = ReportPage.render(data, options: .init(title: title, generatedAt: Date(), live: true, version: stamp))
            return Self.response(page, type: "text/html; charset=utf-8")
        }
        router.get("/report/data") { _, _ in
            let (stamp, data) = await cache.current(sources)
            struct Payload: Encodable { var version: String; var data: ReportData }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(Payload(version: stamp, data: data))) ?? Data("{}".utf8)
            return Self.response(String(decoding: body, as: UTF8.self), type: "application/json")
        }
        router.get("/report/version") { _, _ in
            let body = (try? JSONEncoder().encode(["version": await version()])) ?? Data("{}".utf8)
            return Self.response(String(decoding: body, as: UTF8.self), type: "application/json")
        }
        return router
    }

    static func response(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Serves until SIGTERM or SIGINT; `onServerRunning` gets the bound port.
    public func run(logger: Logger = Logger(label: "ml.report"),
                    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "swift-ml-report"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }
}
