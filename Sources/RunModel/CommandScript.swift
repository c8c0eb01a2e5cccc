/// Commands to apply at given steps: how a teacher prepares a lesson (`--script FILE`) and how
/// `nntop rerun` replays the key presses of a logged run.
///
/// The text format, one command a line (blank lines and `#` comments are ignored):
///
///     STEP COMMAND [VALUE]
///     120 lr 0.01          # a knob, by its log name (lr, momentum, dropout, l2, train_size)
///     300 pause            # pause, resume, step, stop, checkpoint, lr_find
///
/// A command for step S is applied after S steps have run, before step S + 1 — where a key
/// pressed at that moment would land — so a logged change at step S is replayed exactly.
public struct CommandScript: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public var step: Int
    public var command: Command
    public var source: ChangeSource

    public init(step: Int, command: Command, source: ChangeSource = .script) {
      self.step = step
      self.command = command
      self.source = source
    }
  }

  /// Entries in the order they apply (by step; same-step entries keep their order).
  public private(set) var entries: [Entry]

  public init(_ entries: [Entry]) {
    self.entries = entries.enumerated().sorted { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) }
      .map(\.element)
  }

  /// Parses the text format; the error names the line and what is wrong with it.
  public init(parsing text: String) throws(ScriptError) {
    var entries: [Entry] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
      if words.isEmpty { continue }
      func fail(_ problem: String) -> ScriptError { ScriptError(line: index + 1, problem: problem) }
      guard let step = Int(words[0]), step >= 0, step <= 1_000_000_000 else {
        throw fail("'\(words[0].prefix(20))' is not a step number (0 … 1e9)")
      }
      guard words.count >= 2 else { throw fail("a command is missing after the step") }
      entries.append(Entry(step: step, command: try Self.command(words.dropFirst(), fail: fail)))
    }
    self.init(entries)
  }

  private static func command(_ words: ArraySlice<String>, fail: (String) -> ScriptError) throws(ScriptError)
    -> Command
  {
    let name = words[words.startIndex]
    let rest = words.dropFirst()
    if let knob = Knob(rawValue: name) {
      guard rest.count == 1, let value = Double(rest[rest.startIndex]), value.isFinite else {
        throw fail("\(name) needs one number")
      }
      guard knob.range.contains(value) else {
        throw fail(
          "\(name) \(rest[rest.startIndex]) is outside \(knob.range.lowerBound) … \(knob.range.upperBound)")
      }
      return .set(knob, value)
    }
    let command: Command
    switch name {
    case "pause": command = .pause
    case "resume": command = .resume
    case "step": command = .singleStep
    case "stop": command = .stop
    case "checkpoint": command = .checkpoint
    case "lr_find": command = .findLearningRate
    default:
      let knobs = Knob.allCases.map(\.rawValue).joined(separator: ", ")
      throw fail(
        "unknown command '\(name.prefix(20))' (\(knobs), pause, resume, step, stop, checkpoint, lr_find)")
    }
    guard rest.isEmpty else { throw fail("\(name) takes no value") }
    return command
  }

  /// The entries due after `step` steps, removed from the script.
  public mutating func take(dueAt step: Int) -> [Entry] {
    guard let first = entries.first, first.step <= step else { return [] }
    let due = entries.prefix { $0.step <= step }
    entries.removeFirst(due.count)
    return Array(due)
  }

  public var isEmpty: Bool { entries.isEmpty }
}

/// A script line that cannot be read.
public struct ScriptError: Error, Sendable, Equatable, CustomStringConvertible {
  public let line: Int
  public let problem: String
  public var description: String { "line \(line): \(problem)" }

  public init(line: Int, problem: String) {
    self.line = line
    self.problem = problem
  }
}
