import Evaluation
import Foundation
import JSONValues
import Recording
import Statistics

/// Turns ``ReportInput`` into ``ReportData``: pure, deterministic (sorted everywhere), no I/O.
package enum ReportBuilder {
    /// Longest answer kept per matrix cell, in characters (the page stays small with 200 × 50 cells).
    package static let answerLimit = 300

    package static func build(_ input: ReportInput) -> ReportData {
        var data = ReportData(problems: input.problems)
        let iterations = Dictionary(input.checkpoints.map { (CheckpointKey(runID: $0.runID, label: $0.label), $0.iteration) },
                                    uniquingKeysWith: { first, _ in first })
        data.capability = capability(input, iterations: iterations)
        data.matrix = matrix(input, iterations: iterations)
        data.judge = judge(input, iterations: iterations)
        data.loss = loss(input)
        data.comparison = comparison(input)
        data.trainingData = input.workspace.map(TrainingDataSection.init)
        data.reproducibility = reproducibility(input)
        alignIterationAxis(&data)
        return data
    }

    // MARK: - Capability

    static func capability(_ input: ReportInput, iterations: [CheckpointKey: Int]) -> CapabilitySection? {
        guard !input.checkpoints.isEmpty else { return nil }
        let byRun = Dictionary(grouping: input.checkpoints, by: \.runID)
        let overall = byRun.sorted { $0.key < $1.key }.map { run, checkpoints in
            LineChart.Series(name: run, points: checkpoints.sorted { $0.iteration < $1.iteration }.map { c in
                accuracyPoint(x: c.iteration, y: c.accuracy, correct: c.correct, total: c.total,
                              detail: "\(run) · \(c.label) · iteration \(c.iteration)")
            })
        }
        // category → run → iteration → (correct, total, label)
        var counts: [String: [String: [Int: (correct: Int, total: Int, label: String)]]] = [:]
        for record in input.probeResults {
            guard let iteration = iterations[CheckpointKey(runID: record.runID, label: record.label)] else { continue }
            let category = record.result.category
            var entry = counts[category, default: [:]][record.runID, default: [:]][iteration] ?? (0, 0, record.label)
            entry.total += 1
            if record.result.passed { entry.correct += 1 }
            counts[category, default: [:]][record.runID, default: [:]][iteration] = entry
        }
        let categories = counts.sorted { $0.key < $1.key }.map { category, runs in
            let series = runs.sorted { $0.key < $1.key }.map { run, iterations in
                LineChart.Series(name: run, points: iterations.sorted { $0.key < $1.key }.map { iteration, e in
                    let accuracy = e.total == 0 ? 0 : Double(e.correct) / Double(e.total) * 100
                    return accuracyPoint(x: iteration, y: accuracy, correct: e.correct, total: e.total,
                                         detail: "\(run) · \(e.label) · iteration \(iteration) · \(category)")
                })
            }
            return LineChart(id: "capability-\(slug(category))", title: category, yLabel: "accuracy %", yMin: 0,
                             yMax: 100, series: series)
        }
        return CapabilitySection(
            overall: LineChart(id: "capability-overall", title: "Capability accuracy (all probes)", yLabel: "accuracy %",
                               yMin: 0, yMax: 100, series: overall,
                               note: "bars: the Wilson 95% interval of each accuracy (a few dozen probes leave it wide)"),
            categories: categories)
    }

    /// An accuracy point (percent) with its Wilson 95% interval as the error bar, the interval also in the detail.
    static func accuracyPoint(x: Int, y: Double, correct: Int, total: Int, detail: String) -> LineChart.Point {
        let interval = WilsonInterval(successes: correct, trials: total)
        let range = interval.map { String(format: ", 95%% CI %.1f–%.1f%%", $0.low * 100, $0.high * 100) } ?? ""
        return LineChart.Point(x: Double(x), y: y, detail: "\(detail): \(percent(y)) (\(correct)/\(total)\(range))",
                               low: interval.map { $0.low * 100 }, high: interval.map { $0.high * 100 })
    }

    // MARK: - Probe matrix

    static func matrix(_ input: ReportInput, iterations: [CheckpointKey: Int]) -> ProbeMatrix? {
        guard !input.probeResults.isEmpty || !input.probeFiles.isEmpty else { return nil }
        // Checkpoints with probe results; one still being evaluated (no checkpoint row yet) has no iteration and
        // counts as the newest.
        let keys = Set(input.probeResults.map { CheckpointKey(runID: $0.runID, label: $0.label) }).sorted { a, b in
            let x = iterations[a] ?? Int.max, y = iterations[b] ?? Int.max
            if x != y { return x > y }
            if a.runID != b.runID { return a.runID < b.runID }
            return a.label < b.label
        }
        var columns = keys.map { ProbeMatrix.Column(name: $0.description, iteration: iterations[$0]) }
        columns += input.probeFiles.map { ProbeMatrix.Column(name: $0.name, iteration: nil) }
        let columnIndex = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })

        var answers: [String] = []
        var answerIndex: [String: Int] = [:]
        func intern(_ answer: String?) -> Int? {
            guard let answer, !answer.isEmpty else { return nil }
            let cut = answer.count > answerLimit ? String(answer.prefix(answerLimit)) + "…" : answer
            if let index = answerIndex[cut] { return index }
            answers.append(cut)
            answerIndex[cut] = answers.count - 1
            return answers.count - 1
        }
        // The store's rows and the files' entries are the same probe results, each in its column.
        // Each with its samples' tally, when several answers were asked (`ml agent`/`ml probe --samples K`).
        let stored = input.probeResults.compactMap { record in
            columnIndex[CheckpointKey(runID: record.runID, label: record.label)].map {
                (column: $0, result: record.result, samplesPassed: record.samplesPassed, samples: record.samples)
            }
        }
        let read = input.probeFiles.enumerated().flatMap { offset, file in
            let tallies = Dictionary((file.file.samples?.probes ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return file.file.results.map {
                (column: keys.count + offset, result: $0, samplesPassed: tallies[$0.id]?.passed, samples: tallies[$0.id]?.samples)
            }
        }
        // probe id → its category (the first one seen) and one cell per column
        var rowsByID: [String: (category: String, cells: [ProbeMatrix.Cell?])] = [:]
        for (column, result, samplesPassed, samples) in stored + read {
            rowsByID[result.id, default: (result.category, Array(repeating: nil, count: columns.count))].cells[column] =
                ProbeMatrix.Cell(passed: result.passed, answer: intern(result.response), samplesPassed: samplesPassed, samples: samples)
        }
        let rows = rowsByID.sorted { a, b in
            a.value.category != b.value.category ? a.value.category < b.value.category : a.key < b.key
        }.map { ProbeMatrix.Row(probeID: $0.key, category: $0.value.category, cells: $0.value.cells) }
        return ProbeMatrix(columns: columns, rows: rows, answers: answers)
    }

    // MARK: - Judge

    /// Scores of one suite × dimension × run × iteration.
    struct JudgeBucket {
        var scores = RunningSummary()
        var scored: Int { scores.count }
        var unscored = 0
        var label = ""
    }

    static func judge(_ input: ReportInput, iterations: [CheckpointKey: Int]) -> JudgeSection? {
        // suite → dimension → run → iteration → bucket
        var buckets: [String: [String: [String: [Int: JudgeBucket]]]] = [:]
        func add(suite: String, dimension: String, run: String, label: String, iteration: Int, score: Double?) {
            var bucket = buckets[suite, default: [:]][dimension, default: [:]][run, default: [:]][iteration] ?? JudgeBucket()
            bucket.label = label
            if let score { bucket.scores.add(score) } else { bucket.unscored += 1 }
            buckets[suite, default: [:]][dimension, default: [:]][run, default: [:]][iteration] = bucket
        }
        // Per-probe judge scores come first; item scores, then the checkpoint's averages, fill in for checkpoints
        // (and suites) recorded before the store had them.
        struct Covered: Hashable { var key: CheckpointKey; var suite: String }
        let covered = Set(input.judgeScores.map { Covered(key: CheckpointKey(runID: $0.runID, label: $0.label), suite: $0.suite) })
        for record in input.judgeScores {
            add(suite: record.suite, dimension: record.dimension, run: record.runID, label: record.label,
                iteration: record.iteration, score: record.score)
        }
        let itemized = Set(input.judgeItems.map { CheckpointKey(runID: $0.runID, label: $0.label) })
            .union(covered.filter { $0.suite == "capability" }.map(\.key))
        for item in input.judgeItems {
            let key = CheckpointKey(runID: item.runID, label: item.label)
            guard !covered.contains(Covered(key: key, suite: "capability")) else { continue }
            guard let iteration = iterations[key], item.metric.hasPrefix("capability_") else { continue }
            add(suite: "capability", dimension: String(item.metric.dropFirst("capability_".count)), run: item.runID,
                label: item.label, iteration: iteration, score: item.value)
        }
        for checkpoint in input.checkpoints {
            // Checkpoints recorded without item scores still carry the judge's averages.
            if !itemized.contains(checkpoint.key) {
                let dimensions: [(String, Double?)] = [("reasoning", checkpoint.judgeReasoning),
                                                       ("correctness", checkpoint.judgeCorrectness),
                                                       ("clarity", checkpoint.judgeClarity)]
                for case let (dimension, value?) in dimensions {
                    add(suite: "capability", dimension: dimension, run: checkpoint.runID, label: checkpoint.label,
                        iteration: checkpoint.iteration, score: value)
                }
            }
            guard !covered.contains(Covered(key: checkpoint.key, suite: "content")) else { continue }
            for (dimension, value) in checkpoint.content ?? [:] {
                add(suite: "content", dimension: dimension, run: checkpoint.runID, label: checkpoint.label,
                    iteration: checkpoint.iteration, score: value)
            }
        }
        guard !buckets.isEmpty else { return nil }
        var charts: [LineChart] = []
        var unscored: [String: Int] = [:]
        for (suite, dimensions) in buckets.sorted(by: { $0.key < $1.key }) {
            for (dimension, runs) in dimensions.sorted(by: { $0.key < $1.key }) {
                let id = "judge-\(slug(suite))-\(slug(dimension))"
                var missing = 0
                let series = runs.sorted { $0.key < $1.key }.map { run, iterations in
                    LineChart.Series(name: run, points: iterations.sorted { $0.key < $1.key }.compactMap { iteration, b in
                        missing += b.unscored
                        guard b.scored > 0 else { return nil }
                        let summary = b.scores.summary
                        let mean = summary.mean ?? 0
                        let counts = b.unscored > 0 ? " (\(b.scored) scored, \(b.unscored) unscored)" : " (\(b.scored) scored)"
                        // ± one standard error of the item scores: only where several items were scored (a
                        // checkpoint recorded with averages only has one value and no bar).
                        let error = summary.standardError
                        return LineChart.Point(x: Double(iteration), y: mean,
                                               detail: "\(run) · \(b.label) · iteration \(iteration) · \(suite) \(dimension): \(number(mean))\(counts)",
                                               low: error.map { mean - $0 }, high: error.map { mean + $0 })
                    })
                }
                unscored[id] = missing
                charts.append(LineChart(id: id, title: "\(suite) judge · \(dimension)", yLabel: "score", yMin: 0, yMax: 10,
                                        series: series,
                                        note: "\(missing) unscored verdict(s); bars: ± one standard error of the item scores"))
            }
        }
        return JudgeSection(charts: charts, unscored: unscored)
    }

    // MARK: - Training loss

    static func loss(_ input: ReportInput) -> LineChart? {
        guard !input.trainingLoss.isEmpty else { return nil }
        let groups = Dictionary(grouping: input.trainingLoss) { [$0.runID, $0.lossType] }
        let series = groups.sorted { $0.key[0] != $1.key[0] ? $0.key[0] < $1.key[0] : $0.key[1] > $1.key[1] }.map { key, records in
            LineChart.Series(name: "\(key[0]) · \(key[1])", points: records.sorted { $0.iteration < $1.iteration }.map { r in
                var detail = "\(r.runID) · iteration \(r.iteration) · \(r.lossType) loss \(number(r.loss))"
                if let rate = r.learningRate { detail += " · learning rate \(rate)" }
                if let speed = r.tokensPerSecond { detail += " · \(number(speed)) tokens/s" }
                return LineChart.Point(x: Double(r.iteration), y: r.loss, detail: detail)
            })
        }
        let high = input.trainingLoss.map(\.loss).max() ?? 1
        return LineChart(id: "loss", title: "Training loss (train and validation)", yLabel: "loss",
                         yMin: min(0, input.trainingLoss.map(\.loss).min() ?? 0), yMax: high > 0 ? high * 1.05 : 1,
                         series: series)
    }

    // MARK: - Score files

    static func comparison(_ input: ReportInput) -> ScoreFileComparison? {
        guard let first = input.scoreFiles.first, let last = input.scoreFiles.last else { return nil }
        var deltas: [String: Double] = [:]
        if input.scoreFiles.count > 1, let compared = try? ScoreComparison(old: first.data, new: last.data) {
            for row in compared.rows { if let delta = row.delta { deltas[row.model + "\u{0}" + row.metric] = delta } }
        }
        var paired: [String: ScoreFileComparison.Paired] = [:]
        if input.scoreFiles.count > 1, let items = try? PairedComparison(old: first.data, new: last.data) {
            for row in items.rows {
                paired[row.model + "\u{0}" + row.metric] = ScoreFileComparison.Paired(
                    n: row.n, low: row.confidenceInterval?.lowerBound, high: row.confidenceInterval?.upperBound,
                    pValue: row.pValue, holmSignificant: row.holmSignificant,
                    minimumDetectableEffect: row.minimumDetectableEffect)
            }
        }
        var keys = Set<[String]>()
        for file in input.scoreFiles {
            for (model, metrics) in file.averages { for metric in metrics.keys { keys.insert([model, metric]) } }
        }
        let rows = keys.sorted { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }.map { key in
            ScoreFileComparison.Row(model: key[0], metric: key[1],
                                    values: input.scoreFiles.map { $0.averages[key[0]]?[key[1]] },
                                    delta: deltas[key[0] + "\u{0}" + key[1]], paired: paired[key[0] + "\u{0}" + key[1]])
        }
        return ScoreFileComparison(files: input.scoreFiles.map(\.name), rows: rows)
    }

    // MARK: - Reproducibility

    static func reproducibility(_ input: ReportInput) -> ReproducibilityPanel? {
        var entries: [ReproducibilityPanel.Entry] = []
        if let path = input.storePath,
           !input.checkpoints.isEmpty || !input.probeResults.isEmpty || !input.trainingLoss.isEmpty {
            let source = ReportInput.name(path)
            func add(_ key: String, _ value: String) { entries.append(.init(source: source, key: key, value: value)) }
            add("store", path)
            add("schema migrations", input.storeMigrations.joined(separator: ", "))
            add("checkpoints", String(input.checkpoints.count))
            add("runs", Set(input.checkpoints.map(\.runID)).sorted().joined(separator: ", "))
            add("models", Set(input.checkpoints.map(\.model)).sorted().joined(separator: ", "))
            if let low = input.checkpoints.map(\.iteration).min(), let high = input.checkpoints.map(\.iteration).max() {
                add("iterations", "\(low) – \(high)")
            }
            let formatter = ISO8601DateFormatter()
            if let first = input.checkpoints.map(\.scoredAt).min(), let last = input.checkpoints.map(\.scoredAt).max() {
                add("scored", "\(formatter.string(from: first)) – \(formatter.string(from: last))")
            }
            add("probe results", String(input.probeResults.count))
            add("judge item scores", String(input.judgeItems.count))
            if !input.judgeScores.isEmpty { add("judge scores", String(input.judgeScores.count)) }
            if !input.trainingLoss.isEmpty { add("training loss rows", String(input.trainingLoss.count)) }
        }
        for file in input.scoreFiles {
            for (key, value) in flatten(.object(file.metadata)) {
                entries.append(.init(source: file.name, key: key, value: value))
            }
        }
        for probe in input.probeFiles {
            let file = probe.file
            let passed = file.results.filter(\.passed).count
            entries.append(.init(source: probe.name, key: "probes", value: "\(passed)/\(file.results.count) passed"))
            if let samples = file.samples {
                var value = "\(samples.count) per probe: \(samples.passed)/\(samples.answers) answers passed"
                if let interval = samples.accuracyInterval {
                    value += " (95% CI \(percent(interval.low * 100))–\(percent(interval.high * 100)))"
                }
                if let one = samples.passAt(1) { value += ", pass@1 \(percent(one * 100))" }
                if let all = samples.passAt(samples.count) { value += ", pass@\(samples.count) \(percent(all * 100))" }
                entries.append(.init(source: probe.name, key: "samples", value: value))
            }
        }
        entries += input.environment
        return entries.isEmpty ? nil : ReproducibilityPanel(entries: entries)
    }

    /// `key.sub.leaf = value` pairs of a JSON object, sorted; nulls left out, arrays joined with commas.
    static func flatten(_ value: JSONValue, prefix: String = "") -> [(String, String)] {
        switch value {
        case .null: return []
        case .bool(let b): return [(prefix, b ? "true" : "false")]
        case .number(let n): return [(prefix, number(n))]
        case .string(let s): return [(prefix, s)]
        case .array(let items):
            let parts = items.flatMap { flatten($0, prefix: "") }.map(\.1)
            return [(prefix, parts.joined(separator: ", "))]
        case .object(let object):
            return object.sorted { $0.key < $1.key }.flatMap { key, value in
                flatten(value, prefix: prefix.isEmpty ? key : prefix + "." + key)
            }
        }
    }

    // MARK: - Axis and formatting

    /// Gives every iteration chart the same x range, so capability, judge and loss line up.
    static func alignIterationAxis(_ data: inout ReportData) {
        var charts: [LineChart] = []
        if let c = data.capability { charts += [c.overall] + c.categories }
        if let j = data.judge { charts += j.charts }
        if let l = data.loss { charts.append(l) }
        let xs = charts.flatMap { $0.series.flatMap { $0.points.map(\.x) } }
        guard var low = xs.min(), var high = xs.max() else { return }
        if low == high { low -= 1; high += 1 }
        func apply(_ chart: inout LineChart) { chart.xMin = low; chart.xMax = high }
        if var c = data.capability {
            apply(&c.overall)
            for i in c.categories.indices { apply(&c.categories[i]) }
            data.capability = c
        }
        if var j = data.judge {
            for i in j.charts.indices { apply(&j.charts[i]) }
            data.judge = j
        }
        if var l = data.loss {
            apply(&l)
            data.loss = l
        }
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }

    /// A number with at most three decimals and no trailing zeros.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Lower-case letters, digits and dashes (for element IDs).
    static func slug(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" }
        return String(mapped)
    }
}
