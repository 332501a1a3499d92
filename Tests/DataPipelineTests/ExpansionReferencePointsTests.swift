import DataPipeline
import Foundation
import InferenceTesting
import InfluxTestSupport
import PostgresTestSupport
import Recording
import Testing
import Workspace

/// The reference's dashboard measurements written by an expansion: their exact line protocol, and the points a
/// real expansion writes to a real influxd.
@Suite struct ExpansionReferencePointsTests {
    @Test func theLinesAreTheReferences() throws {
        let generation = ExpansionReferencePoints.generation(
            index: 3, worker: "w 1", domain: "", promptID: #"p"1"#, seconds: 1.5, chars: 12, model: "m,x", time: 2)
        #expect(try LineProtocol.encode(generation)
            == #"expansion_gen,i=3,w=w\ 1,d=unknown seed_id="p\"1",gen_time=1.5,chars=12i,model="m,x" 2000000000"#)
        let progress = try LineProtocol.encode(ExpansionReferencePoints.progress(worker: "w1", completed: 3, target: 4))
        #expect(progress.hasPrefix("expansion_progress,worker=w1 completed=3i,target=4i,pct=75.0 "), "\(progress)")
        let empty = try LineProtocol.encode(ExpansionReferencePoints.progress(worker: "w1", completed: 0, target: 0))
        #expect(empty.hasPrefix("expansion_progress,worker=w1 completed=0i,target=0i,pct=0.0 "), "\(empty)")
        let rows = [
            ExpansionReferencePoints.GoldenRow(id: "g1", domain: "ethics", voice: "", worker: "import", seconds: 1, chars: 100, time: 5),
            ExpansionReferencePoints.GoldenRow(id: "g2", domain: "ethics", voice: "calm", worker: "w1", seconds: 2.125, chars: 51, time: 6),
            ExpansionReferencePoints.GoldenRow(id: "g3", domain: "law", voice: "calm", worker: "w1", seconds: 0, chars: 10, time: 7),
        ]
        #expect(try LineProtocol.encode(ExpansionReferencePoints.gold(index: 1, rows[1]))
            == #"gold_gen,i=1,w=w1,d=ethics,v=calm seed_id="g2",gen_time=2.125,chars=51i 6000000000"#)
        let summary = try LineProtocol.lines(ExpansionReferencePoints.goldenSet(rows, time: Date(timeIntervalSince1970: 9)))
        #expect(summary == [
            "golden_set_stats total_examples=3i,domains=2i,voices=2i,avg_gen_time=1.04,avg_response_chars=54.0,completion_pct=0.0 9000000000",
            "golden_set_domain,domain=ethics count=2i,avg_gen_time=1.56 9000000000",
            "golden_set_domain,domain=law count=1i,avg_gen_time=0.0 9000000000",
            "golden_set_voice,voice=calm count=2i,avg_chars=31.0,avg_gen_time=1.06 9000000000",
            "golden_set_voice,voice=unknown count=1i,avg_chars=100.0,avg_gen_time=1.0 9000000000",
        ])
        #expect(ExpansionReferencePoints.goldenSet([], time: Date()).isEmpty, "the reference pushes nothing for an empty set")
    }

    @Test func answersAreWrittenOnceAndAgainAfterAFailedWrite() async throws {
        try await TestWorkspace.with(.sqlite) { workspace in
            try await workspace.store.insertPrompts(TestWorkspace.prompts(3))
            _ = try await workspace.store.saveAnswers([TestWorkspace.answer("p0000", worker: "w1"),
                                                       TestWorkspace.answer("p0001", worker: "other")])
            let reference = ExpansionReferencePoints(store: workspace.store, workerID: "w1", target: 3)
            func generated(_ points: [InfluxPoint]) -> [String] {
                points.filter { $0.measurement == "expansion_gen" }.map { "\($0.tags["i"] ?? "")=\($0.fields[0].value)" }
            }
            let first = try await reference.progressPoints(completed: 1)
            #expect(generated(first.points) == [#"0=string("p0000")"#], "only this worker's answers")
            #expect(first.points.last?.measurement == "expansion_progress")
            // Not advanced (the write failed): the same answers again.
            #expect(generated(try await reference.progressPoints(completed: 1).points) == [#"0=string("p0000")"#])
            reference.advance(to: first.cursor)
            #expect(generated(try await reference.progressPoints(completed: 1).points).isEmpty)
            _ = try await workspace.store.saveAnswers([TestWorkspace.answer("p0002", worker: "w1")])
            #expect(generated(try await reference.progressPoints(completed: 2).points) == [#"1=string("p0002")"#])
        }
    }

    @Test func anExpansionWritesThemToARealInfluxDB() async throws {
        try await InfluxDBProcess.with { server in
            try await TestWorkspace.with(.sqlite) { workspace in
                let prompts = (0..<6).map {
                    PromptRecord(id: "p\($0)", prompt: "Question \($0)?", domain: $0 < 4 ? "ethics" : nil, source: "test:\($0)")
                }
                try await workspace.store.insertPrompts(prompts)
                _ = try await workspace.store.insertGolden([
                    GoldenRecord(id: "g1", prompt: "Gold?", response: "Golden answer.", domain: "ethics", voice: "calm", source: "test"),
                ])
                let reference = ExpansionReferencePoints(store: workspace.store, workerID: "w1", target: 6)
                let points = ExpansionProgressPoints(
                    configuration: server.configuration(), workerID: "w1", model: "scripted", interval: .milliseconds(50),
                    reference: reference) { Issue.record("unexpected warning: \($0)") }
                let worker = QueueWorker(
                    store: workspace.store, model: ScriptedModel(tokens: ["Hé", "llo"], delay: .milliseconds(5)),
                    modelName: "scripted", modelSource: "fake", workerID: "w1", host: "test",
                    settings: ExpansionSettings(concurrency: 2, pollInterval: .milliseconds(20))
                ) { points.record($0) }
                let writer = Task { await points.run() }
                let report = try await worker.run()
                writer.cancel()
                await writer.value
                #expect(report.answered == 6)

                let generated = try await server.withClient {
                    try await $0.query(#"SELECT "seed_id", "gen_time", "chars", "model", "i", "w", "d" FROM "expansion_gen""#)
                }.flatMap(\.rows)
                #expect(generated.count == 6, "one point per answer, none twice: \(generated)")
                #expect(Set(generated.compactMap { $0["seed_id"]?.stringValue }) == Set(prompts.map(\.id)))
                #expect(Set(generated.compactMap { $0["i"]?.stringValue }) == ["0", "1", "2", "3", "4", "5"])
                #expect(generated.allSatisfy { $0["chars"] == .integer(6) && $0["model"] == .string("scripted") && $0["w"] == .string("w1") })
                #expect(generated.filter { $0["d"] == .string("ethics") }.count == 4)
                #expect(generated.filter { $0["d"] == .string("unknown") }.count == 2)

                let progress = try await server.withClient {
                    try await $0.query(#"SELECT "completed", "target", "pct" FROM "expansion_progress" WHERE "worker" = 'w1'"#)
                }.flatMap(\.rows)
                #expect(progress.last?["completed"] == .integer(6) && progress.last?["target"] == .integer(6), "\(progress)")
                #expect(progress.last?["pct"]?.doubleValue == 100)

                let gold = try await server.withClient {
                    try await $0.query(#"SELECT "seed_id", "chars", "i", "w", "d", "v" FROM "gold_gen""#)
                }.flatMap(\.rows)
                #expect(gold.count == 1)
                #expect(gold.first?["seed_id"] == .string("g1") && gold.first?["chars"] == .integer(14))
                #expect(gold.first?["w"] == .string("import") && gold.first?["v"] == .string("calm"))
                let stats = try await server.withClient {
                    try await $0.query(#"SELECT "total_examples", "domains", "voices" FROM "golden_set_stats""#)
                }.flatMap(\.rows)
                #expect(stats.first?["total_examples"] == .integer(1) && stats.first?["voices"] == .integer(1))
                let domains = try await server.withClient { try await $0.query(#"SELECT "count" FROM "golden_set_domain""#) }
                #expect(domains.flatMap(\.rows).first?["count"] == .integer(1))
            }
        }
    }
}
