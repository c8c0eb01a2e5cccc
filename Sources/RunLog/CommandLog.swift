import RunModel
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// The command log beside a run log: how a program that is not nntop's trainer (the PyTorch
/// client in `python/`) is told to turn a knob, pause, resume, step, stop or checkpoint.
///
/// `RUN.commands` next to `RUN.jsonl`, one JSON object per line, each appended with one
/// `write` on an `O_APPEND` descriptor so lines from several senders never interleave:
///
///     {"command": "set", "knob": "lr", "value": 0.01, "sent": 1764432000.5}
///     {"command": "pause", "sent": 1764432003.1}
///
/// A reader takes only complete lines (a cut last line waits for its newline) and refuses, with a
/// reason it logs, lines it cannot read. `nntop send` and the keys of `nntop watch`
/// (`WatchSteering`) write through `append(_:toRunLog:)`.
public enum CommandLog {
  /// `runs/x.jsonl` → `runs/x.commands`.
  public static func path(forRunLog runLog: String) -> String {
    (runLog.hasSuffix(".jsonl") ? String(runLog.dropLast(6)) : runLog) + ".commands"
  }

  /// The words of each command in the file (`set` carries a knob and a value).
  static let names: [(String, Command)] = [
    ("pause", .pause), ("resume", .resume), ("step", .singleStep), ("stop", .stop),
    ("checkpoint", .checkpoint),
  ]

  /// The command as one line (no newline), or nil for commands only nntop's own trainer takes
  /// (pace, the learning-rate finder).
  public static func line(_ command: Command, sent: Double) -> String? {
    var pairs: [(String, JSONValue)]
    if case .set(let knob, let value) = command {
      pairs = [("command", .string("set")), ("knob", .string(knob.rawValue)), ("value", .number(value))]
    } else if let name = names.first(where: { $0.1 == command })?.0 {
      pairs = [("command", .string(name))]
    } else {
      return nil
    }
    pairs.append(("sent", .number(sent)))
    return JSONValue.object(pairs).text
  }

  /// Reads one line back; a knob value must be finite and inside the knob's range.
  public static func command(_ line: Substring) throws(RecordError) -> Command {
    guard case .object(let object) = try JSONParser.parse(line) else {
      throw RecordError(description: "not a JSON object")
    }
    let name = try Conversion<String>.string.read(object["command"], "command")
    if let command = names.first(where: { $0.0 == name })?.1 { return command }
    guard name == "set" else { throw RecordError(description: "unknown command '\(name.prefix(20))'") }
    let knobName = try Conversion<String>.string.read(object["knob"], "knob")
    guard let knob = Knob(rawValue: knobName) else {
      throw RecordError(description: "unknown knob '\(knobName.prefix(20))'")
    }
    guard case .number(let value)? = object["value"], value.isFinite else {
      throw RecordError(description: "\(knob.rawValue) needs a finite number")
    }
    guard knob.range.contains(value) else {
      throw RecordError(description: outside(knob, value))
    }
    return .set(knob, value)
  }

  /// "lr 20 is outside 1e-06 … 10": the refusal both `send` and readers give.
  public static func outside(_ knob: Knob, _ value: Double) -> String {
    "\(knob.rawValue) \(value) is outside \(knob.range.lowerBound) … \(knob.range.upperBound)"
  }

  /// Appends the command to the run's command log (creating it), in one write, and syncs it.
  public static func append(_ command: Command, toRunLog runLog: String, sent: Double) throws(RunLogError) {
    guard let text = line(command, sent: sent) else {
      throw RunLogError(description: "\(command) cannot be sent through a command log", exitCode: 64)
    }
    let target = path(forRunLog: runLog)
    let fd = open(target, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      throw RunLogError(description: "cannot open command log \(target): \(reason)", exitCode: 73)
    }
    defer { close(fd) }
    if let reason = SystemIO.writeAll(fd, Array((text + "\n").utf8)) {
      throw RunLogError(description: "cannot write command log \(target): \(reason)", exitCode: 74)
    }
    fsync(fd)
  }
}
