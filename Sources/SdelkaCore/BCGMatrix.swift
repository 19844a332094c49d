/// The BCG matrix over ABC/XYZ results (DOMAIN.md §6): rows XYZ, columns ABC, each with
/// `unclassified` (lost) and `none` (no result in that run).
public enum BCGMatrix {
    public static let abcAxis = ["A", "B", "C", "unclassified", "none"]
    public static let xyzAxis = ["X", "Y", "Z", "unclassified", "none"]

    /// A cell's key: "AX" for two letters, "unclassified/none" and the like otherwise.
    public static func cell(abc: String?, xyz: String?) -> String {
        let a = abc ?? "none", x = xyz ?? "none"
        return a.count == 1 && x.count == 1 ? a + x : "\(a)/\(x)"
    }

    public static var allCells: [String] {
        xyzAxis.flatMap { x in abcAxis.map { a in cell(abc: a, xyz: x) } }
    }

    public enum Quadrant: String, CaseIterable, Codable, Sendable {
        case stars, cashCows, dogs, questionMarks
    }

    /// As 1C names them: stars AZ (much, irregularly), cash cows AX (much, regularly), dogs
    /// CX (little but regularly), question marks every other cell.
    public static func quadrant(abc: String?, xyz: String?) -> Quadrant {
        switch (abc, xyz) {
        case ("A", "Z"): .stars
        case ("A", "X"): .cashCows
        case ("C", "X"): .dogs
        default: .questionMarks
        }
    }
}
