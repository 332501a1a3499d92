extension KeyedDecodingContainer {
    /// `decodeIfPresent`, with every failure reported at `key`: Foundation reports some number errors (an
    /// integer beyond 64 bits, a fraction where an integer belongs) as invalid JSON with no coding path, and a
    /// server must name the field.
    func decodeField<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        do {
            return try decodeIfPresent(type, forKey: key)
        } catch let error as DecodingError where !Self.path(of: error).isEmpty {
            throw error
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(error)")
        }
    }

    private static func path(of error: DecodingError) -> [any CodingKey] {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
             .dataCorrupted(let context):
            return context.codingPath
        @unknown default:
            return []
        }
    }
}
