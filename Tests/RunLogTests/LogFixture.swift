import RunLog
import RunModel
import TestSupport

/// A realistic log: a short real training run's events (one of every kind), encoded.
enum LogFixture {
  static var events: [RunEvent] { RunFixture.everyKind }

  static var bytes: [UInt8] {
    let context = RunContext(
      command: ["nntop", "train", "spiral"], created: "2026-11-21T00:00:00Z", hostname: "h", cores: 2)
    let text = events.enumerated().map { i, event in
      RecordEncoder.line(TimedEvent(time: Double(i) * 0.1, event: event), context: context) + "\n"
    }.joined()
    return Array(text.utf8)
  }

  /// Byte offsets just after each record's newline.
  static var lineEnds: [Int] { bytes.enumerated().filter { $0.element == 0x0A }.map { $0.offset + 1 } }
}
