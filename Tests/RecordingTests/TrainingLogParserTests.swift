import Testing

@testable import Recording

/// Both `mlx_lm.lora` log formats of the spec, coloured or not, and bad loss lines.
@Suite struct TrainingLogParserTests {
    @Test func classicFormat() throws {
        let train = try #require(try TrainingLogParser.parse(
            "Iter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 0.512, Tokens/sec 234.5, Trained Tokens 4567, Peak mem 5.2 GB"))
        #expect(train == .init(iteration: 10, lossType: "train", loss: 2.345, learningRate: 1e-5,
                               iterationsPerSecond: 0.512, tokensPerSecond: 234.5))
        let val = try #require(try TrainingLogParser.parse("Iter 20: Val loss 2.100, Val took 3.2s"))
        #expect(val == .init(iteration: 20, lossType: "val", loss: 2.1))
        #expect(try TrainingLogParser.parse("Iter 100: Saved adapter weights to adapters/0000100_adapters.safetensors.") == nil)
        #expect(try TrainingLogParser.parse("Loading pretrained model") == nil)
    }

    /// An iteration past Int64 is an error in both formats, never a line quietly dropped or read as 0.
    @Test func anIterationPastInt64IsAnError() {
        #expect(throws: TrainingLogParser.LineError.self) {
            try TrainingLogParser.parse("99999999999999999999    1.283 ▼        8      0.4k")
        }
        #expect(throws: TrainingLogParser.LineError.self) {
            try TrainingLogParser.parse("99999999999999999999    val 0.927    6.98s")
        }
        #expect(throws: TrainingLogParser.LineError.self) {
            try TrainingLogParser.parse("Iter 99999999999999999999: Train loss 1.0")
        }
    }

    /// An error quotes a bad part of the line cut to a few hundred characters, however long the line is.
    @Test func errorsQuoteAnExcerptOfAHugeLine() {
        let garbage = String(repeating: "x", count: 10_000_000)
        for line in ["Iter \(garbage): Train loss 1.0", "Iter 5: Train loss \(garbage)", "5 1\(garbage) 8 0.4k"] {
            let error = #expect(throws: TrainingLogParser.LineError.self) { try TrainingLogParser.parse(line) }
            let message = error?.message ?? ""
            #expect(message.utf8.count < 400, "\(message.utf8.count) bytes")
            #expect(message.contains("… (1000000"), "\(message.prefix(300))")
        }
    }

    @Test func tableFormatPlainAndColoured() throws {
        #expect(try TrainingLogParser.parse("    10    1.283 ▼        8      0.4k")
                == .init(iteration: 10, lossType: "train", loss: 1.283, tokensPerSecond: 8))
        #expect(try TrainingLogParser.parse("    20    val 0.927    6.98s") == .init(iteration: 20, lossType: "val", loss: 0.927))
        let coloured = "\u{1B}[1m    30\u{1B}[0m    \u{1B}[32m1.104 ▼\u{1B}[0m      1.2k      0.9k"
        #expect(try TrainingLogParser.parse(coloured)
                == .init(iteration: 30, lossType: "train", loss: 1.104, tokensPerSecond: 1200))
        let colouredVal = "\u{1B}[36m    40    val 0.851\u{1B}[0m    7.01s\r"
        #expect(try TrainingLogParser.parse(colouredVal) == .init(iteration: 40, lossType: "val", loss: 0.851))
        // A first row has no trend arrow yet.
        #expect(try TrainingLogParser.parse("     1    2.500        9      0.1k")?.tokensPerSecond == 9)
        #expect(try TrainingLogParser.parse("  Iter    Loss      Tok/s   Trained") == nil)
    }

    @Test func badLossLinesAreErrorsNamingTheValue() {
        let classic = #expect(throws: TrainingLogParser.LineError.self) { try TrainingLogParser.parse("Iter 10: Train loss nan?, Learning Rate 1e-5") }
        #expect(classic?.message.contains("Train loss") == true)
        #expect(throws: TrainingLogParser.LineError.self) { try TrainingLogParser.parse("Iter x: Val loss 2.0") }
        let table = #expect(throws: TrainingLogParser.LineError.self) { try TrainingLogParser.parse("    20    val oops    6.98s") }
        #expect(table?.message.contains("oops") == true)
    }

    @Test func pointsFollowTheSpec() throws {
        let train = TrainingLogParser.Entry(iteration: 10, lossType: "train", loss: 2.5, learningRate: 1e-5,
                                            iterationsPerSecond: 0.5, tokensPerSecond: 200)
        #expect(try LineProtocol.encode(train.point(runID: "run 1", model: "gemma-3"))
                == "training_loss,model=gemma-3,run_id=run\\ 1,loss_type=train loss=2.5,iteration=10i,learning_rate=1e-05,it_per_sec=0.5,tokens_per_sec=200.0 \((1_739_577_600 + 10_000) * 1_000_000_000)")
        let val = TrainingLogParser.Entry(iteration: 10, lossType: "val", loss: 2)
        #expect(try LineProtocol.encode(val.point(runID: "r", model: "m"))
                == "training_loss,model=m,run_id=r,loss_type=val loss=2.0,iteration=10i \((1_739_577_600 + 10_001) * 1_000_000_000)")
    }
}
