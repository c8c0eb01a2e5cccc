import Foundation
import TestSupport
import Testing

/// One table of exit statuses: the help prints it, README.md repeats it, and no status in the
/// sources is missing from it (73, 74, 129 and 143 were).
@Suite struct ExitStatusTests {
  /// "code meaning" rows of `nntop --help`'s table.
  static func helpRows() throws -> [(code: String, meaning: String)] {
    let help = try Run.nntop(["--help"]).stdout
    let section = help.components(separatedBy: "Exit codes:\n")[1].components(separatedBy: "\n\n")[0]
    return section.split(separator: "\n").map { line in
      let trimmed = line.drop { $0 == " " }
      let code = trimmed.prefix { $0.isNumber }
      return (String(code), trimmed.dropFirst(code.count).trimmingCharacters(in: .whitespaces))
    }
  }

  @Test func theHelpAndTheReadmeListTheSameStatuses() throws {
    let rows = try Self.helpRows()
    #expect(rows.map(\.code) == ["0", "1", "64", "65", "66", "73", "74", "129", "130", "143"])
    let readme = try String(contentsOfFile: Repository.root + "/README.md", encoding: .utf8)
    for row in rows {
      #expect(readme.contains("| \(row.code) | \(row.meaning) |"), "README lacks \(row.code) \(row.meaning)")
    }
  }

  /// Every literal status in Sources/ (`code: 73`, `exitCode: 74`, …) and the signals' 128 + N.
  @Test func everyStatusTheSourcesUseIsInTheTable() throws {
    let listed = Set(try Self.helpRows().map(\.code))
    let pattern = try NSRegularExpression(pattern: #"(?:code: |exitCode: |ExitCode\()([0-9]+)"#)
    var used: Set<String> = ["129", "130", "143"]  // 128 + SIGHUP, SIGINT, SIGTERM (Signals.swift)
    let folder = Repository.root + "/Sources"
    let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
    for file in files where file.hasSuffix(".swift") {
      let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
      for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
        used.insert((text as NSString).substring(with: match.range(at: 1)))
      }
    }
    #expect(used.count > 5)
    #expect(used.subtracting(listed).isEmpty, "not in the table: \(used.subtracting(listed).sorted())")
  }

  /// `--tolerance -1` meets the range check instead of "missing value".
  @Test func negativeValuesParseAndMeetTheRangeCheck() throws {
    let run = try Run.nntop(["gradcheck", "--tolerance", "-1"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--tolerance must be in (0, 1), got -1"), "\(run.stderr)")
    let lr = try Run.nntop(["train", "xor", "--lr", "-0.5", "--no-log"])
    #expect(lr.stderr.contains("--lr must be in [1e-06, 10], got -0.5"), "\(lr.stderr)")
  }
}
