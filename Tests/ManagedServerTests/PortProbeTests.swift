import Foundation
import Testing

import HTTPTestSupport

@testable import ManagedServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct PortProbeTests {
    @Test func aListenedPortIsNotFreeAndAClosedOneIs() throws {
        let listener = try TCPListener()
        #expect(try !PortProbe.isFree(listener.port, host: "127.0.0.1"))
        #expect(try !PortProbe.isFree(listener.port, host: "localhost"))
        listener.close()
        #expect(try PortProbe.isFree(listener.port, host: "127.0.0.1"))
    }

    @Test func freePortsOnIPv4AndIPv6() throws {
        let port = try PortProbe.freePort(host: "127.0.0.1")
        #expect((1...65535).contains(port))
        #expect(try PortProbe.isFree(port, host: "127.0.0.1"))
        if let v6 = try? PortProbe.freePort(host: "::1") { #expect((1...65535).contains(v6)) }
    }

    @Test func unresolvableHostIsAClearError() {
        #expect(throws: Error.self) { try PortProbe.freePort(host: "no such host.invalid") }
    }
}
