import RunModel

/// What reading a log found: every complete record, and what was wrong with the rest.
public struct RunLogContents: Sendable {
  public var records: [TimedEvent] = []
  /// Where and how the run was started (the header's command, machine, resumed checkpoint).
  public var context: RunContext?
  /// "line 12: not valid JSON" for each damaged line that was skipped.
  public var skipped: [String] = []
  /// Bytes after the last newline: a record cut off mid-write (kill -9, full disk).
  public var tornTailBytes = 0
  /// The file began with a UTF-8 byte-order mark (an editor's), which was passed over.
  public var byteOrderMark = false
  /// The line where a second run begins (a second header: two logs concatenated); reading stops
  /// there, so the first run's epochs are not mixed with the next one's ("6/3").
  public var nextRunLine: Int?

  public var header: RunHeader? {
    if case .started(let h)? = records.first?.event { return h }
    return nil
  }

  public var summary: RunSummary? {
    for record in records.reversed() { if case .finished(let s) = record.event { return s } }
    return nil
  }

  public var events: [RunEvent] { records.map(\.event) }

  /// One line per problem, for the user.
  public func warnings(path: String) -> [String] {
    var list = skipped.map { "\(path): \($0) (skipped)" }
    if header == nil && !records.isEmpty {
      list.append("\(path): no header record (the run's configuration is unknown)")
    }
    if byteOrderMark { list.append("\(path): starts with a UTF-8 byte-order mark (ignored)") }
    if let nextRunLine {
      list.append(
        "\(path): line \(nextRunLine) starts another run (a second header); only the first run is read")
    }
    if tornTailBytes > 0 {
      list.append(
        "\(path): the last record is incomplete (\(tornTailBytes) bytes after the last newline; ignored)")
    }
    return list
  }
}

/// Parses a run log's bytes. Never fails: damage is reported, not thrown.
public enum RunLogReader {
  public static func parse(_ bytes: [UInt8]) -> RunLogContents {
    var contents = RunLogContents()
    var lineStart = 0
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      contents.byteOrderMark = true
      lineStart = 3
    }
    var lineNumber = 0
    for i in lineStart..<bytes.count where bytes[i] == 0x0A {
      lineNumber += 1
      parseLine(bytes[lineStart..<i], number: lineNumber, into: &contents)
      if contents.nextRunLine != nil { return contents }
      lineStart = i + 1
    }
    contents.tornTailBytes = bytes.count - lineStart
    return contents
  }

  static func parseLine(_ bytes: ArraySlice<UInt8>, number: Int, into contents: inout RunLogContents) {
    guard !bytes.isEmpty else { return }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      contents.skipped.append("line \(number): not UTF-8")
      return
    }
    do {
      let decoded = try RecordDecoder.decode(Substring(text))
      if isHeader(decoded.record), contents.header != nil || !contents.records.isEmpty {
        contents.nextRunLine = number
        return
      }
      if let context = decoded.context { contents.context = context }
      contents.records.append(decoded.record)
    } catch {
      contents.skipped.append("line \(number): \(error.description)")
    }
  }

  static func isHeader(_ record: TimedEvent) -> Bool {
    if case .started = record.event { return true }
    return false
  }
}
