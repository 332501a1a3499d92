import Foundation
import ModelFormats

// Measures ModelFormats throughput and peak memory:
//   swift run -c release FormatsBench [model.gguf|model.safetensors] [--adapter-mb N] [--workdir DIR]
// 1. Reads every tensor of the given file through the reader (memory-mapped, pages evicted per tensor) and
//    compares with `cat FILE > /dev/null`.
// 2. Generates an mlx-lm style LoRA adapter (F32, default ≥ 500 MB) with the safetensors writer and converts
//    it to PEFT and to a llama.cpp GGUF LoRA.
// Peak RSS is VmHWM from /proc/self/status, reset between phases through /proc/self/clear_refs where allowed.
// Also, for manual checks against other tools:
//   FormatsBench inspect FILE | to-peft MLX_DIR OUT_DIR | to-gguf MLX_DIR OUT.gguf [BASE.gguf]

let commandLine = Array(CommandLine.arguments.dropFirst())
if let command = commandLine.first, ["inspect", "to-peft", "to-gguf"].contains(command) {
    do {
        switch (command, commandLine.count) {
        case ("inspect", 2): print(try Inspect.report(path: commandLine[1]), terminator: "")
        case ("to-peft", 3): print(try MLXLoRAAdapter(directory: commandLine[1]).convertToPEFT(outputDirectory: commandLine[2]))
        case ("to-gguf", 3...4):
            let options = GGUFLoRAOptions(baseModelPath: commandLine.count == 4 ? commandLine[3] : nil)
            print(try MLXLoRAAdapter(directory: commandLine[1]).convertToGGUF(outputPath: commandLine[2], options: options))
        default:
            print("usage: FormatsBench inspect FILE | to-peft MLX_DIR OUT_DIR | to-gguf MLX_DIR OUT.gguf [BASE.gguf]")
            exit(2)
        }
        exit(0)
    } catch {
        print("error: \(error)")
        exit(1)
    }
}

func parseArguments() -> (workdir: String, adapterMB: Double, input: String?) {
    var arguments = Array(CommandLine.arguments.dropFirst())
    func option(_ name: String) -> String? {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
        let value = arguments[i + 1]
        arguments.removeSubrange(i...(i + 1))
        return value
    }
    let workdir = option("--workdir") ?? "/tmp/formats-bench"
    let adapterMB = Double(option("--adapter-mb") ?? "") ?? 640
    return (workdir, adapterMB, arguments.first)
}
let (workdir, adapterMB, inputFile) = parseArguments()

func status(_ key: String) -> String {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "n/a" }
    return text.split(separator: "\n").first { $0.hasPrefix(key + ":") }.map { $0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces) } ?? "n/a"
}
@discardableResult
func resetPeak() -> Bool { (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil }
let canReset = resetPeak()

func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
func size(_ path: String) -> Double {
    Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.uint64Value ?? 0)
}
func rate(_ bytes: Double, _ seconds: Double) -> String { String(format: "%.1f MB in %.3f s = %.0f MB/s", bytes / 1e6, seconds, bytes / 1e6 / seconds) }
func report(_ label: String, _ bytes: Double, _ seconds: Double) {
    print("\(label.padding(toLength: 34, withPad: " ", startingAt: 0)) \(rate(bytes, seconds)), peak RSS \(status("VmHWM"))")
    resetPeak()
}

/// Reads all tensor data through the reader, touching every byte (a checksum of 8-byte words).
func readAll(_ path: String) throws -> (bytes: UInt64, checksum: UInt64) {
    var total: UInt64 = 0
    var checksum: UInt64 = 0
    func consume(_ raw: UnsafeRawBufferPointer) {
        let words = raw.count / 8
        var sum: UInt64 = 0
        for i in 0..<words { sum &+= raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) }
        for i in (words * 8)..<raw.count { sum &+= UInt64(raw[i]) }
        checksum &+= sum
        total += UInt64(raw.count)
    }
    let handle = FileHandle(forReadingAtPath: path)
    let magic = handle?.readData(ofLength: 4)
    try? handle?.close()
    if magic == Data("GGUF".utf8) {
        let reader = try GGUFReader(path: path)
        for tensor in reader.file.tensors where tensor.byteCount != nil {
            reader.prefetch(tensor)
            try reader.withData(of: tensor, consume)
            reader.evict(tensor)
        }
    } else {
        let reader = try SafetensorsReader(path: path)
        for tensor in reader.file.tensors {
            reader.prefetch(tensor)
            try reader.withData(of: tensor, consume)
            reader.evict(tensor)
        }
    }
    return (total, checksum)
}

func cat(_ path: String) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "cat \"$0\" > /dev/null", path]
    let (_, seconds) = try measure {
        try process.run()
        process.waitUntilExit()
    }
    return seconds
}

func benchRead(_ path: String) throws {
    let fileSize = size(path)
    let (_, catCold) = try measure { try cat(path) }
    let (result, ours) = try measure { try readAll(path) }
    let (_, catWarm) = try measure { try cat(path) }
    let (_, oursAgain) = try measure { try readAll(path) }
    print("file \(path): \(String(format: "%.1f", fileSize / 1e6)) MB, tensor data \(String(format: "%.1f", Double(result.bytes) / 1e6)) MB")
    print("  cat > /dev/null (first)         \(rate(fileSize, catCold))")
    report("  reader, all tensor data", Double(result.bytes), ours)
    print("  cat > /dev/null (warm)          \(rate(fileSize, catWarm))")
    report("  reader, all tensor data (again)", Double(result.bytes), oursAgain)
}

/// Writes an mlx-lm style adapter: 7 projections per layer of a 4096-wide, 14336-FFN model (8 KV heads of 128).
func generateAdapter(directory: String, targetMB: Double) throws -> (layers: Int, rank: Int) {
    let hidden = 4096, kv = 1024, ffn = 14336, rank = 64
    let modules = [
        ("self_attn.q_proj", hidden, hidden), ("self_attn.k_proj", hidden, kv), ("self_attn.v_proj", hidden, kv),
        ("self_attn.o_proj", hidden, hidden), ("mlp.gate_proj", hidden, ffn), ("mlp.up_proj", hidden, ffn), ("mlp.down_proj", ffn, hidden),
    ]
    let bytesPerLayer = Double(modules.reduce(0) { $0 + ($1.1 + $1.2) * rank * 4 })
    let layers = max(1, Int((targetMB * 1e6 / bytesPerLayer).rounded(.up)))
    var tensors: [SafetensorsWriter.Tensor] = []
    for layer in 0..<layers {
        for (path, input, output) in modules {
            tensors.append(.init(name: "model.layers.\(layer).\(path).lora_a", dtype: .f32, shape: [UInt64(input), UInt64(rank)]))
            tensors.append(.init(name: "model.layers.\(layer).\(path).lora_b", dtype: .f32, shape: [UInt64(rank), UInt64(output)]))
        }
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let writer = try SafetensorsWriter(path: directory + "/adapters.safetensors", tensors: tensors)
    var state: UInt32 = 12345
    var buffer = [Float](repeating: 0, count: ffn * rank)
    for tensor in tensors {
        let count = Int(tensor.shape[0] * tensor.shape[1])
        for i in 0..<count {
            state = state &* 1_664_525 &+ 1_013_904_223
            buffer[i] = Float(Int32(bitPattern: state) >> 8) / Float(1 << 23) * 0.02
        }
        try buffer.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[0..<(count * 4)])) }
    }
    try writer.finish()
    let config = #"{"fine_tune_type": "lora", "lora_parameters": {"rank": \#(rank), "scale": 20.0, "dropout": 0.0}, "num_layers": \#(layers), "model": "bench/llama-like"}"#
    try config.write(toFile: directory + "/adapter_config.json", atomically: true, encoding: .utf8)
    return (layers, rank)
}

do {
    print("ModelFormats bench (peak RSS reset per phase: \(canReset ? "yes" : "no, cumulative"))")
    if let inputFile { try benchRead(inputFile) }

    let mlx = workdir + "/mlx"
    let ((layers, rank), generateSeconds) = try measure { try generateAdapter(directory: mlx, targetMB: adapterMB) }
    let adapterBytes = size(mlx + "/adapters.safetensors")
    print("generated MLX adapter: \(layers) layers, rank \(rank), 7 modules per layer")
    report("  write (SafetensorsWriter)", adapterBytes, generateSeconds)
    try benchRead(mlx + "/adapters.safetensors")

    let (peft, peftSeconds) = try measure { try MLXLoRAAdapter(directory: mlx).convertToPEFT(outputDirectory: workdir + "/peft") }
    report("  MLX → PEFT (F32, transposed)", adapterBytes, peftSeconds)
    let (gguf, ggufSeconds) = try measure {
        try MLXLoRAAdapter(directory: mlx).convertToGGUF(
            outputPath: workdir + "/lora-f32.gguf", options: GGUFLoRAOptions(architecture: "llama", headCount: 32, headCountKV: 8)
        )
    }
    report("  MLX → GGUF (F32, q/k permuted)", adapterBytes, ggufSeconds)
    let (_, f16Seconds) = try measure {
        try MLXLoRAAdapter(directory: mlx).convertToGGUF(
            outputPath: workdir + "/lora-f16.gguf", options: GGUFLoRAOptions(architecture: "llama", outputType: .f16, headCount: 32, headCountKV: 8)
        )
    }
    report("  MLX → GGUF (F16, q/k permuted)", adapterBytes, f16Seconds)
    print("outputs: PEFT \(String(format: "%.1f", Double(peft.bytesWritten) / 1e6)) MB (\(peft.tensorCount) tensors), GGUF \(String(format: "%.1f", Double(gguf.bytesWritten) / 1e6)) MB (\(gguf.tensorCount) tensors, \(gguf.permuted.count) permuted)")
    print("process peak RSS overall (VmHWM, since last reset): \(status("VmHWM")); VmRSS now \(status("VmRSS"))")
} catch {
    print("FormatsBench failed: \(error)")
    exit(1)
}
