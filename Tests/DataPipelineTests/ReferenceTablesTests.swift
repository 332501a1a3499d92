import DataPipeline
import JSONValues
import Testing
import Workspace

/// The reference's DuckDB rows → workspace records (the real DuckDB files are read in scripts/tests/interchange.sh).
@Suite struct ReferenceTablesTests {
    func row(_ request: DuckDBReader.TableRequest, _ values: [String: JSONValue]) -> ReferenceTables.Row {
        ReferenceTables.Row(columns: request.columns, values: request.columns.map { values[$0] ?? .null })
    }

    @Test func goldenRowKeepsPromptResponseDomainVoiceAndNamesItsSource() throws {
        let mapped = ReferenceTables.goldenRecord(row(ReferenceTables.golden, [
            "idx": .number(7), "seed_id": .string("eu-3"), "domain": .string(" ethics "), "voice": .null,
            "prompt": .string("What is fair?"), "response": .string("Fairness is…"), "gen_time": .number(1.5),
        ]), file: "/data/lem.duckdb")
        guard case .record(let record) = mapped else { Issue.record("not a record: \(mapped)"); return }
        #expect(record.prompt == "What is fair?")
        #expect(record.response == "Fairness is…")
        #expect(record.domain == "ethics")
        #expect(record.voice == nil)
        #expect(record.source == "lem.duckdb:golden_set:7")
        // The same id a JSON-lines row with this prompt and no id gets: one prompt is stored once.
        #expect(record.id == PromptIdentity.id(for: "  what is   FAIR? "))
    }

    @Test func nullOrEmptyPromptOrResponseIsAProblem() {
        for values: [String: JSONValue] in [
            ["prompt": .null, "response": .string("r")], ["prompt": .string("  "), "response": .string("r")],
            ["prompt": .string("p"), "response": .null], ["prompt": .string("p\u{0}"), "response": .string("r")],
        ] {
            guard case .problem(let message) = ReferenceTables.goldenRecord(row(ReferenceTables.golden, values), file: "f")
            else { Issue.record("accepted \(values)"); continue }
            #expect(message.contains("prompt") || message.contains("response"))
        }
    }

    @Test func expansionPromptsKeepTheReferenceOrderAndLeaveAnsweredOnesOut() throws {
        let request = ReferenceTables.expansionPrompts
        let first = ReferenceTables.promptRecord(row(request, [
            "idx": .number(1), "prompt": .string("A"), "priority": .number(1), "status": .string("pending"),
            "region": .string("eu"),
        ]), file: "x.duckdb")
        let later = ReferenceTables.promptRecord(row(request, [
            "idx": .number(2), "prompt": .string("B"), "priority": .number(5), "status": .null,
        ]), file: "x.duckdb")
        guard case .record(let a) = first, case .record(let b) = later else { Issue.record("not records"); return }
        // The reference answers the lowest priority first, the workspace the highest.
        #expect(a.priority > b.priority)
        let unset = ReferenceTables.promptRecord(row(request, ["prompt": .string("D"), "priority": .null]), file: "x")
        guard case .record(let d) = unset else { Issue.record("a NULL priority was refused"); return }
        #expect(b.priority > d.priority)  // DuckDB sorts a NULL priority last
        #expect(a.region == "eu")
        #expect(a.source == "x.duckdb:expansion_prompts:1")
        let done = ReferenceTables.promptRecord(row(request, ["prompt": .string("C"), "status": .string("done")]), file: "x")
        guard case .leftOut(let reason) = done else { Issue.record("a done prompt was queued"); return }
        #expect(reason.contains("done"))
    }

    @Test func seedSourceNamesTheReferenceFileAndSeedID() {
        let mapped = ReferenceTables.seedRecord(row(ReferenceTables.seeds, [
            "source_file": .string("eu/ethics.json"), "region": .string("eu"), "seed_id": .string("s1"),
            "domain": .null, "prompt": .string("Seed prompt"),
        ]), file: "lem.duckdb")
        guard case .record(let seed) = mapped else { Issue.record("not a record"); return }
        #expect(seed.source == "lem.duckdb:seeds:eu/ethics.json#s1")
        #expect(seed.region == "eu" && seed.domain == nil)
    }

    @Test func otherTablesAreNamedWithAReason() {
        #expect(ReferenceTables.reasonLeftOut("training_examples").contains("golden_set"))
        #expect(!ReferenceTables.reasonLeftOut("something_else").isEmpty)
    }
}
