/// Fixed-width text tables for terminal reports.
enum TextTable {
    /// Renders `header` and `rows` in aligned columns separated by two spaces, with a rule under the header.
    /// The first `leftColumns` columns are left-aligned, the rest (numbers) right-aligned.
    static func render(header: [String], rows: [[String]], leftColumns: Int = 1) -> String {
        let all = [header] + rows
        let widths = (0..<header.count).map { column in all.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return index < leftColumns ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
