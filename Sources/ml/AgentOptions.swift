import ArgumentParser

/// `ml agent`'s settings as flags, each declared once here: the flag's name is the setting's key in every layer
/// (``SettingOptions``); ``AgentSettings`` resolves them with `ML_AGENT_*` variables, the `--config` file and the
/// defaults.
struct AgentOptions: SettingOptions {
    @Option(help: "Remote host holding the adapters (ssh). Without it the adapter base is a local directory.") var host: String?
    @Option(help: "SSH user.") var user: String?
    @Option(help: "SSH port.") var port: NumberArgument<Int>?
    @Option(help: "SSH identity file.") var identity: String?
    @Option(help: "SSH known-hosts file (new host keys are accepted, changed ones refused).") var knownHosts: String?
    @Option(help: "Directory holding the adapter run directories.") var adapterBase: String?
    @Option(help: "Only run directories whose name contains this (case-insensitive).") var filter: String?
    @Option(help: "llama: each checkpoint converted to a GGUF LoRA on llama-server; mlx: applied as it is on one mlx_lm.server (default: llama).")
    var backend: String?
    @Option(help: "The base model the adapters were trained on: a GGUF, or an MLX directory with --backend mlx (default: the default model, or its MLX copy).")
    var baseModel: String?
    @Option(help: "Model-family map (JSON) from directory names to model tag and short label (default: the shipped map).")
    var families: String?
    @OptionGroup var recording: RecordingOptions
    @Option(help: "OpenAI-compatible judge server (default: the local default model).") var judgeURL: String?
    @Option(help: "The judge's model name at --judge-url.") var judgeModel: String?
    @Option(help: "A local GGUF to judge with (default: the default model).") var judgeModelPath: String?
    @Option(help: "Seconds between passes (default: 300).") var poll: NumberArgument<Double>?
    @Option(help: "Where checkpoints are copied and converted (default: $SWIFT_ML_HOME/agent/work).") var workDir: String?
    @Option(help: "Most tokens per probe answer (default: 512).") var maxTokens: NumberArgument<Int>?
    @Option(help: "Most tokens per judge reply (default: 384).") var judgeMaxTokens: NumberArgument<Int>?
    @Option(help: "Probes asked and judged at once: the checkpoint server's slots (default: 8).") var concurrency: NumberArgument<Int>?
    @Option(help: "Ask every probe this many times (sample i at seed 1 + i; use --temperature above 0): each probe's pass rate, pass@1 and pass@K are stored beside the first sample's results (default: 1).")
    var samples: NumberArgument<Int>?
    @Option(help: "The probe answers' sampling temperature (default: 0, greedy).") var temperature: NumberArgument<Double>?
    @Flag(inversion: .prefixedNo, help: "Also run the content probes, judged by the content suite (default: no).")
    var content: Bool?
    @Option(help: "An mlx_lm.lora training log to follow: its losses become training_loss points as they appear.")
    var trainingLog: String?
    @Option(help: "The model tag of the followed training log's points (default: training).") var trainingModel: String?
    @Option(help: "The run id of the followed training log's points (default: the log's file name without extension).")
    var trainingRunID: String?
    @Option(help: "llama-server threads per managed server (default: servers running at once divide the cores).")
    var threads: NumberArgument<Int>?
    @Option(help: "The checkpoint server's context in tokens, divided among its slots (default: the slots × what the longest request needs).")
    var ctxSize: NumberArgument<Int>?
}
