import Foundation

/// An error of a pipeline stage, with a message naming the file, row or setting at fault.
public struct DataPipelineError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
