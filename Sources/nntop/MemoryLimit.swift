import Foundation
import NeuralNet

#if canImport(Glibc)
  import Glibc
#endif

/// How much memory a run may plan to use: three quarters of the machine's memory, or
/// `NNTOP_MEMORY_LIMIT` (bytes, or with K, M, G or T; 0 for no limit). Every command that builds a
/// network for training checks its estimate against this before the screen opens or the log is
/// created, so `--hidden 65536,65536` is a message instead of an allocation failure.
enum MemoryLimit {
  static let variable = "NNTOP_MEMORY_LIMIT"

  /// The limit in bytes (nil: none) and how it was chosen, or why the variable is unreadable.
  static func current(environment: [String: String] = ProcessInfo.processInfo.environment) throws
    -> (bytes: Int?, source: String)
  {
    if let text = environment[variable] {
      guard let bytes = parse(text) else {
        throw fail(
          "\(variable) must be a number of bytes, optionally with K, M, G or T (0: no limit), got '\(text)'",
          code: 64)
      }
      return (bytes == 0 ? nil : bytes, "\(variable)")
    }
    let machine = Int(sysconf(Int32(_SC_PHYS_PAGES))) &* Int(sysconf(Int32(_SC_PAGESIZE)))
    return (machine / 4 * 3, "three quarters of this machine's memory; set \(variable) to change it")
  }

  /// "512M", "8G", "1000000": bytes, or nil.
  static func parse(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var digits = text.uppercased()
    var unit = 1
    if let last = digits.last, let scale = units[last] {
      unit = scale
      digits.removeLast()
    }
    guard let value = Double(digits), value.isFinite, value >= 0, value * Double(unit) < 9e18 else {
      return nil
    }
    return Int(value * Double(unit))
  }

  /// Refuses (exit 64) a network whose training would need more than the limit.
  static func check(_ spec: NetworkSpec, batch: Int, optimizer: OptimizerKind, threads: Int) throws {
    let (limit, source) = try current()
    guard let limit else { return }
    let needed = spec.trainingBytes(batch: batch, optimizer: optimizer, threads: threads)
    guard let needed, needed <= limit else {
      let parameters =
        spec.checkedCounts.map { " (\(ConsoleFormatBytes.count($0.parameters)) parameters)" } ?? ""
      throw fail(
        "\(spec.summary) needs about \(needed.map(ConsoleFormatBytes.bytes) ?? "more than 9 EB") to train\(parameters), "
          + "more than the limit of \(ConsoleFormatBytes.bytes(limit)) (\(source)); use narrower --hidden or a smaller --batch",
        code: 64)
    }
  }
}

/// Sizes people read: "17.2 GB", "4.4 billion".
enum ConsoleFormatBytes {
  static func bytes(_ value: Int) -> String {
    let v = Double(value)
    if v >= 1e9 { return String(format: "%.1f GB", v / 1e9) }
    if v >= 1e6 { return String(format: "%.1f MB", v / 1e6) }
    return "\(value / 1000) kB"
  }

  static func count(_ value: Int) -> String {
    let v = Double(value)
    if v >= 1e9 { return String(format: "%.1f billion", v / 1e9) }
    if v >= 1e6 { return String(format: "%.1f million", v / 1e6) }
    return String(value)
  }
}
