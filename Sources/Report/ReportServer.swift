import Foundation
import HostAllowlist
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Serves the report live: `GET /report` (the page, polling for changes), `GET /report/data` (the data as JSON,
/// with its version), `GET /report/version` (what the page polls); `/` redirects to `/report`. The data is rebuilt
/// only when the sources' stamp changed (the stamp itself at most once a second, see ``StampCache``). One
/// workspace connection for the server's lifetime. Read-only; binds loopback unless told otherwise, and answers
/// only its own host names (``AllowedHosts``).
package struct ReportServer: Sendable {
    package let sources: ReportSources
    package let host: String
    package let port: Int
    package let title: String
    package let allowedHosts: AllowedHosts
    private let cache = Cache()
    private let stamps = StampCache()

    package init(sources: ReportSources, host: String = "127.0.0.1", port: Int = 8091, title: String = "swift-ml report",
                allowedHosts: [String] = []) {
        self.sources = sources
        self.host = host
        self.port = port
        self.title = title
        self.allowedHosts = AllowedHosts(bindHost: host, extra: allowedHosts)
    }

    /// The latest data, rebuilt when the sources changed since the last call.
    final class Cache: Sendable {
        private let state = Mutex<(stamp: String, data: ReportData)?>(nil)

        func current(_ sources: ReportSources, _ stamps: StampCache) async -> (stamp: String, data: ReportData) {
            let stamp = await stamps.stamp(sources)
            if let cached = state.withLock({ $0 }), cached.stamp == stamp { return cached }
            let data = ReportBuilder.build(await sources.load())
            state.withLock { $0 = (stamp, data) }
            return (stamp, data)
        }
    }

    /// The current version (cheap: the sources' stamp, shared by the polls of one second).
    package func version() async -> String { await stamps.stamp(sources) }

    package func buildRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: AllowedHostsMiddleware(allowedHosts))
        router.get("/") { _, _ in
            Response(status: .seeOther, headers: [.location: "/report"])
        }
        router.get("/report") { _, _ in
            let (stamp, data) = await cache.current(sources, stamps)
            let page = ReportPage.render(data, options: .init(title: title, generatedAt: Date(), live: true, version: stamp))
            return Self.response(page, type: "text/html; charset=utf-8")
        }
        router.get("/report/data") { _, _ in
            let (stamp, data) = await cache.current(sources, stamps)
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
    package func run(logger: Logger = Logger(label: "ml.report"),
                    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "swift-ml-report"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        do {
            try await group.run()
        } catch {
            await sources.close()
            throw error
        }
        await sources.close()
    }
}
