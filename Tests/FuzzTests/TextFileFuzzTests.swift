import Foundation
import NeuralNet
import RunModel
import Terminal
import TestSupport
import Testing

/// Theme files and command scripts with bytes replaced, inserted and removed (control
/// characters, digits, huge numbers, separators): each is parsed or refused with a line number,
/// never a trap; fixed seed, a few hundred mutations each.
@Suite struct TextFileFuzzTests {
  static let pieces: [String] = [
    "\u{1B}[2J", "\0", "\u{FEFF}", "\"", "=", "[", "]", "#", "\n", "9999999999999999999999", "-1", "nan",
    "inf",
    "1e308", " ", "theme[", "lr", "step", "0x", "é", String(repeating: "x", count: 5_000),
  ]

  /// `text` with a few random edits.
  static func mutated(_ text: String, _ rng: inout SeededGenerator) -> String {
    var scalars = Array(text.unicodeScalars)
    for _ in 0..<Int(1 + rng.next() % 3) {
      let at = scalars.isEmpty ? 0 : Int(rng.next() % UInt64(scalars.count))
      let piece = Array(pieces[Int(rng.next() % UInt64(pieces.count))].unicodeScalars)
      switch rng.next() % 3 {
      case 0: scalars.insert(contentsOf: piece, at: at)
      case 1:
        if !scalars.isEmpty { scalars.removeSubrange(at..<min(scalars.count, at + 1 + Int(rng.next() % 8))) }
      default: scalars.replaceSubrange(at..<min(scalars.count, at + piece.count), with: piece)
      }
    }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  @Test func mutatedThemesParseOrAreRefusedWithALine() throws {
    let original = try String(contentsOfFile: "themes/default.theme", encoding: .utf8)
    var rng = SeededGenerator(seed: 13)
    var refused = 0
    for _ in 0..<400 {
      do {
        _ = try Theme.parse(Self.mutated(original, &rng), name: "fuzz", path: "fuzz.theme")
      } catch {
        refused += 1
        #expect((error.line ?? 0) >= 1)
      }
    }
    #expect(refused > 100)
  }

  @Test func mutatedScriptsParseOrAreRefusedWithALine() {
    let original =
      "# a lesson\n0 pause\n10 lr 0.1\n20 dropout 0.2\n30 train_size 500\n40 resume\n50 checkpoint\n60 stop\n"
    var rng = SeededGenerator(seed: 13)
    var refused = 0
    for _ in 0..<400 {
      do {
        _ = try CommandScript(parsing: Self.mutated(original, &rng))
      } catch {
        refused += 1
        #expect(error.line >= 1)
      }
    }
    #expect(refused > 100)
  }
}
