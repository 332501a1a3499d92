/// What a loaded model is. Fields the backend cannot tell are `nil`.
public struct ModelInfo: Sendable, Hashable, Codable {
    /// The model's identifier as shown to users, e.g. a file name or a server's model id.
    public var id: String
    /// Architecture name, e.g. `llama`, `gemma3`.
    public var architecture: String?
    public var vocabSize: Int?
    public var layers: Int?
    public var hiddenSize: Int?
    /// Quantisation bits per weight and group size, when quantised.
    public var quantizationBits: Int?
    public var quantizationGroupSize: Int?
    /// Name of the quantisation scheme, e.g. `Q4_1`.
    public var quantization: String?
    public var contextLength: Int?

    public init(
        id: String,
        architecture: String? = nil,
        vocabSize: Int? = nil,
        layers: Int? = nil,
        hiddenSize: Int? = nil,
        quantizationBits: Int? = nil,
        quantizationGroupSize: Int? = nil,
        quantization: String? = nil,
        contextLength: Int? = nil
    ) {
        self.id = id
        self.architecture = architecture
        self.vocabSize = vocabSize
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.quantizationBits = quantizationBits
        self.quantizationGroupSize = quantizationGroupSize
        self.quantization = quantization
        self.contextLength = contextLength
    }
}
