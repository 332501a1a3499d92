import MLErrors

/// A command's own failure, with the message to print (the root prints a thrown error as `error: …` and exits 1;
/// a library error is thrown as it is, this is for a message the command words itself).
typealias CommandError = ModuleError<CommandErrorCode>

struct CommandErrorCode: ErrorCode {
    var rawValue: String
    init(rawValue: String) { self.rawValue = rawValue }
    static var showsCodeInDescription: Bool { false }

    static let input = Self(rawValue: "input")
}
