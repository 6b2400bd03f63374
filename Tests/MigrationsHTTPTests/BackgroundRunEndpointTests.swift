import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Migrations
import MigrationsHTTP
import MigrationsTestSupport
import NIOCore
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A migration that reports 1 of 2 done, then waits for `gate` (cancellably) and finishes.
private func gated(_ name: String, gate: Shared<Bool>) -> ClosureMigration<Counter> {
    ClosureMigration(name: name) { context in
        context.progress.setTotal(2)
        context.progress.increment()
        while !gate.value { try await Task.sleep(for: .milliseconds(5)) }
        context.progress.increment()
        context.app.add(name)
    }
}

/// Sends `request` on a fresh loopback connection to `port` and closes it without reading the answer.
private func sendAndHangUp(_ request: String, port: Int) throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #expect(descriptor >= 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    #expect(connected == 0, "could not connect to port \(port)")
    let bytes = Array(request.utf8)
    #expect(send(descriptor, bytes, bytes.count, 0) == bytes.count)
}

@Suite("HTTP runs in the background", .timeLimit(.minutes(2)))
struct BackgroundRunEndpointTests {
    @Test("a run answers 202 with its id and Location; the ticket shows progress, then the result")
    func acceptedThenPolled() async throws {
        let gate = Shared(false)
        let harness = try HTTPHarness(extra: [gated("slow", gate: gate)])
        try await harness.withServer { client in
            let ticket = try await client.execute(
                uri: "/migrations/run", method: .post, headers: authorized, body: json(#"{"name":"slow"}"#)
            ) { response in
                #expect(response.status == .accepted)
                let ticket = try decode(MigrationRunTicket.self, response)
                #expect(response.headers[.location] == "/migrations/runs/\(ticket.id)")
                #expect(ticket.location == "/migrations/runs/\(ticket.id)")
                #expect(ticket.state == .running)
                #expect(ticket.kind == "run")
                #expect(ticket.triggeredBy == "alice")
                return ticket
            }
            try await waitUntil("the step reported progress") {
                try await client.execute(uri: ticket.location, method: .get, headers: authorized) { response in
                    try decode(MigrationRunTicket.self, response).progress?.completed == 1
                }
            }
            try await client.execute(
                uri: "/migrations/run", method: .post, headers: authorized, body: json(#"{"name":"slow"}"#)
            ) { response in
                #expect(response.status == .conflict, "a second run of a running migration is refused")
                let refusal = try decode(MigrationsAPIError.Body.self, response)
                #expect(refusal.error.code == "already-running")
            }
            gate.set(true)
            var finished: MigrationRunTicket?
            try await waitUntil("the run finished") {
                finished = try await client.execute(uri: ticket.location, method: .get, headers: authorized) {
                    try decode(MigrationRunTicket.self, $0)
                }
                return finished?.state == .finished
            }
            #expect(finished?.results.map(\.status) == [.completed])
            #expect(finished?.answerStatus == 200)
            #expect(finished?.finishedAt != nil)
            #expect(harness.counter.count("slow") == 1)
            try await client.execute(uri: "/migrations/runs/no-such-run", method: .get, headers: authorized) {
                response in
                #expect(response.status == .notFound)
                let missing = try decode(MigrationsAPIError.Body.self, response)
                #expect(missing.error.code == "not-found")
            }
        }
    }

    @Test("Prefer: wait=N answers the result of a run that ends in time, else 202 with Preference-Applied")
    func preferWait() async throws {
        let gate = Shared(false)
        let harness = try HTTPHarness(extra: [gated("slow", gate: gate)])
        try await harness.withServer { client in
            var waiting = authorized
            waiting[HTTPField.Name("Prefer")!] = "wait=10"
            try await client.execute(
                uri: "/migrations/run", method: .post, headers: waiting, body: json(#"{"name":"import-users"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[HTTPField.Name("Preference-Applied")!] == "wait=10")
                let result = try decode(MigrationResult.self, response)
                #expect(result.status == .completed)
            }
            var briefly = authorized
            briefly[HTTPField.Name("Prefer")!] = "wait=0.2"
            let ticket = try await client.execute(
                uri: "/migrations/run", method: .post, headers: briefly, body: json(#"{"name":"slow"}"#)
            ) { response in
                #expect(response.status == .accepted)
                #expect(response.headers[HTTPField.Name("Preference-Applied")!] == "wait=0.200")
                return try decode(MigrationRunTicket.self, response)
            }
            #expect(ticket.state == .running)
            gate.set(true)
            try await waitUntil("the run finished") {
                try await client.execute(uri: ticket.location, method: .get, headers: authorized) {
                    try decode(MigrationRunTicket.self, $0).state == .finished
                }
            }
            var bad = authorized
            bad[HTTPField.Name("Prefer")!] = "wait=soon"
            try await client.execute(
                uri: "/migrations/run", method: .post, headers: bad, body: json(#"{"name":"no-down"}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let refusal = try decode(MigrationsAPIError.Body.self, response)
                #expect(refusal.error.message.contains("wait=soon"))
            }
            #expect(harness.counter.count("no-down") == 0, "a refused request started a run")
        }
    }

    @Test("a client that hangs up while waiting does not cancel the run")
    func disconnectDoesNotCancel() async throws {
        let gate = Shared(false)
        let harness = try HTTPHarness(extra: [gated("slow", gate: gate)])
        try await harness.withServer { client in
            let port = try #require(client.port)
            let body = #"{"name":"slow"}"#
            try sendAndHangUp(
                "POST /migrations/run?wait=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer \(HTTPHarness.token)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)",
                port: port)
            try await waitUntil("the run started") { harness.runner.progress(of: "slow")?.completed == 1 }
            gate.set(true)
            try await waitUntil("the run completed") { try await harness.store.state(of: "slow").isCompleted }
            #expect(harness.counter.count("slow") == 1)
        }
    }

    @Test("a graceful shutdown stops a run started over HTTP at its checkpoint and records nothing")
    func shutdownInterruptsWithoutRecording() async throws {
        let harness = try HTTPHarness(extra: [gated("slow", gate: Shared(false))])
        try await testGracefulShutdown { trigger in
            let service = Task { try await harness.runs.run() }
            try await harness.withServer { client in
                let ticket = try await client.execute(
                    uri: "/migrations/run", method: .post, headers: authorized, body: json(#"{"name":"slow"}"#)
                ) { try decode(MigrationRunTicket.self, $0) }
                try await waitUntil("the step started") { harness.runner.progress(of: "slow")?.completed == 1 }
                trigger.triggerGracefulShutdown()
                try await service.value
                let stopped = try #require(harness.runs.ticket(ticket.id))
                #expect(stopped.state == .finished)
                #expect(stopped.results.map(\.status) == [.interrupted])
            }
        }
        let state = try await harness.store.state(of: "slow")
        #expect(!state.isCompleted)
        #expect(state.lastError == nil, "the shutdown was recorded as a failure: \(state.lastError ?? "")")
        #expect(harness.leases.holder(of: "slow") == nil, "the lease outlived the shutdown")
    }
}
