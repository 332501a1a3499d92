import ArgumentParser

extension ExitCode {
    /// Prints `error: <error>` to standard error and gives exit status 1: `throw ExitCode.failure(printing: error)`,
    /// the one way a command reports the error that ends it.
    static func failure(printing error: any Error) -> ExitCode {
        failure(printing: "\(error)")
    }

    /// Prints `error: <message>` to standard error and gives exit status 1.
    static func failure(printing message: String) -> ExitCode {
        printError("error: " + message)
        return .failure
    }

    /// Runs `body`; an error it throws is printed as `error: …` and exits 1 (an exit status it throws passes as it is).
    static func onError<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw ExitCode.failure(printing: error)
        }
    }
}
