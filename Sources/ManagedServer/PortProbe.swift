import Foundation
import Inference

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free TCP ports, found by binding (IPv4 or IPv6, whatever `host` resolves to).
public enum PortProbe {
    /// A port the kernel considers free now: bind port 0, read the port back, close.
    public static func freePort(host: String) throws -> Int {
        guard let port = try bindSocket(host: host, port: 0) else {
            throw InferenceError(.serverError, "could not find a free port on \(host)")
        }
        return port
    }

    /// Whether `port` can be bound on `host` now. `SO_REUSEADDR` as servers use it: a port whose last
    /// connections linger in TIME_WAIT counts as free; one with a listener does not.
    public static func isFree(_ port: Int, host: String) throws -> Bool {
        try bindSocket(host: host, port: port) != nil
    }

    /// Binds a socket to `host:port`; the bound port, or `nil` when the address is in use.
    private static func bindSocket(host: String, port: Int) throws -> Int? {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host == "localhost" ? "127.0.0.1" : host, String(port), &hints, &list)
        guard status == 0, let address = list else {
            throw InferenceError(
                .invalidRequest,
                "cannot resolve host '\(host)': \(String(cString: gai_strerror(status)))"
            )
        }
        defer { freeaddrinfo(list) }
        let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
        guard fd >= 0 else { throw InferenceError(.serverError, "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 else {
            if errno == EADDRINUSE { return nil }
            throw InferenceError(.serverError, "cannot bind \(host):\(port): errno \(errno)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw InferenceError(.serverError, "getsockname() failed: errno \(errno)") }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer -> Int in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                Int(UInt16(bigEndian: $0.pointee.sin_port))
            }
        }
    }
}
