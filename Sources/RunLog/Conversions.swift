import RunModel

/// How one value becomes JSON and comes back: the vocabulary the field tables are written in.
///
/// `read` gets nil when the key is absent, and the key, to name it in its complaint. Every reader
/// checks what it reads (a whole number is whole, a range is ordered), so a damaged line is
/// refused with a reason instead of crashing whoever replays it.
struct Conversion<Value>: Sendable {
  let write: @Sendable (Value) -> JSONValue?
  let read: @Sendable (JSONNode?, String) throws(RecordError) -> Value
}

extension Conversion {
  /// A value written as one JSON value and read back from one node, nil meaning "bad".
  static func plain(
    _ write: @escaping @Sendable (Value) -> JSONValue, _ read: @escaping @Sendable (JSONNode) -> Value?
  ) -> Conversion {
    Conversion(write: write) { node, key throws(RecordError) in
      guard let node, let value = read(node) else { throw RecordError.bad(key) }
      return value
    }
  }

  /// A value written as a string: schedules, 64-bit seeds, change sources, enumerations.
  static func text(
    _ format: @escaping @Sendable (Value) -> String, _ parse: @escaping @Sendable (String) -> Value?
  ) -> Conversion {
    Conversion(write: { .string(format($0)) }) { node, key throws(RecordError) in
      guard case .string(let text)? = node else { throw RecordError.bad(key) }
      guard let value = parse(text) else { throw RecordError(description: "bad \(key) '\(text)'") }
      return value
    }
  }

  /// The same conversion, refusing values outside what the program can use.
  func checked(_ isValid: @escaping @Sendable (Value) -> Bool) -> Conversion {
    let read = self.read
    return Conversion(write: write) { node, key throws(RecordError) in
      let value = try read(node, key)
      guard isValid(value) else { throw RecordError(description: "'\(key)' is out of range") }
      return value
    }
  }

  /// A value that may be missing: `null` (an accuracy a regression does not have), or no key at
  /// all when `omitted` (a field only some runs have, so other runs' lines stay as they were).
  static func optional<Wrapped>(_ wrapped: Conversion<Wrapped>, omitted: Bool = false) -> Conversion
  where Value == Wrapped? {
    Conversion(write: { value in value.map { wrapped.write($0) } ?? (omitted ? nil : .null) }) {
      node, key throws(RecordError) in
      guard let node, node != .null else { return nil }
      return try wrapped.read(node, key)
    }
  }

  /// A JSON array of values.
  static func list<Element>(_ element: Conversion<Element>) -> Conversion where Value == [Element] {
    Conversion(write: { values in .array(values.map { element.write($0) ?? .null }) }) {
      node, key throws(RecordError) in
      guard case .array(let items)? = node else { throw RecordError.bad(key) }
      var values: [Element] = []
      values.reserveCapacity(items.count)
      for (index, item) in items.enumerated() { values.append(try element.read(item, "\(key)[\(index)]")) }
      return values
    }
  }
}

extension Conversion where Value == Double {
  /// Any double; the non-finite ones as "nan", "inf" and "-inf" (JSON has no form for them).
  static var number: Conversion { plain({ .number($0) }, jsonNumber) }

  /// A position in epochs (fractional): finite and within the epochs a run may have.
  static var epochPosition: Conversion {
    number.within(0...Double(TrainingConfiguration.epochRange.upperBound))
  }

  /// Seconds since the run started: finite, not negative, under a century and a half.
  static var seconds: Conversion { number.within(0...5e9) }

}

extension Conversion where Value == Int {
  /// A whole number; fractions, non-finite values and numbers too large for a double's exact
  /// integers are refused (converting them would trap).
  static var int: Conversion {
    Conversion(write: { .integer($0) }) { node, key throws(RecordError) in
      guard let value = jsonNumber(node) else { throw RecordError.bad(key) }
      guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
        throw RecordError(description: "'\(key)' is not a whole number")
      }
      return Int(value)
    }
  }

  /// A step number: no run takes more steps than `TrainingConfiguration.stepRange` allows.
  static var step: Conversion { int(in: TrainingConfiguration.stepRange) }

  /// A whole epoch number (0 before the first epoch ends).
  static var epoch: Conversion { int(in: 0...TrainingConfiguration.epochRange.upperBound) }

  /// A whole number in `range`: counts and positions a file may claim, bounded before any of
  /// them sizes an allocation or a loop.
  static func int(in range: ClosedRange<Int>) -> Conversion { int.within(range) }

  /// A count written as decimal text (checkpoint metadata holds only strings), within `range`.
  static func countText(in range: ClosedRange<Int>) -> Conversion {
    text({ String($0) }, { Int($0) }).within(range)
  }

}

extension Conversion where Value: Comparable & Sendable {
  /// The same conversion, refusing values outside `range` (for a number, NaN included) and
  /// saying which value and range.
  func within(_ range: ClosedRange<Value>) -> Conversion {
    let read = self.read
    return Conversion(write: write) { node, key throws(RecordError) in
      let value = try read(node, key)
      guard range.contains(value) else {
        throw RecordError(
          description: "'\(key)' is \(value), outside \(range.lowerBound)...\(range.upperBound)")
      }
      return value
    }
  }
}

extension Conversion where Value == UInt64 {
  /// 64 bits do not survive a double, so seeds are decimal text.
  static var decimal: Conversion { text({ String($0) }, { UInt64($0) }) }
}

extension Conversion where Value == String {
  static var string: Conversion {
    plain({ .string($0) }) { node in if case .string(let s) = node { s } else { nil } }
  }

  /// A name shown inside a line (a run's dataset): control characters read as "?", so a name
  /// with a newline or a tab (the PyTorch client's `name=` is the user's) cannot split a row of
  /// `nntop runs` or a console line in two.
  static var oneLine: Conversion {
    plain({ .string($0) }) { node in if case .string(let s) = node { oneLineText(s) } else { nil } }
  }
}

/// `text` with its control characters as "?" (C1 too: a terminal may read U+009B as CSI): it
/// stays on its line wherever it is printed.
func oneLineText(_ text: String) -> String {
  String(
    String.UnicodeScalarView(
      text.unicodeScalars.map { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : $0 }))
}

extension Conversion where Value == [String: Double] {
  /// A loop's own epoch metrics (`{"f1": 0.91}`): written in name order, and left out when there
  /// are none, so other runs' lines stay as they were. Another program wrote them: names become
  /// one line of at most `metricNameLength` characters, values that are not numbers are left
  /// out, and at most `metricCount` are kept (the first by name), so a runaway loop cannot
  /// flood a CSV file or the charts.
  static var metrics: Conversion {
    Conversion(write: { map in
      map.isEmpty
        ? nil
        : .object(
          map.sorted { $0.key < $1.key }.map { ($0.key, Conversion<Double>.number.write($0.value) ?? .null) })
    }) { node, key throws(RecordError) in
      guard case .object(let object)? = node else { throw RecordError.bad(key) }
      var metrics: [String: Double] = [:]
      for (name, value) in object.sorted(by: { $0.key < $1.key }) where metrics.count < metricCount {
        guard let number = jsonNumber(value) else { continue }
        let shown = String(oneLineText(name).prefix(metricNameLength))
        metrics[shown.isEmpty ? "(unnamed)" : shown] = number
      }
      return metrics
    }
  }

  static var metricCount: Int { 64 }
  static var metricNameLength: Int { 100 }
}

extension Conversion where Value == Bool {
  static var bool: Conversion {
    plain({ .bool($0) }) { node in if case .bool(let b) = node { b } else { nil } }
  }

  /// A flag inside a numeric tuple: 1 or 0.
  static var flag: Conversion { plain({ .integer($0 ? 1 : 0) }) { jsonNumber($0).map { $0 != 0 } } }
}

extension Conversion where Value: RawRepresentable & Sendable, Value.RawValue == String {
  /// An enumeration by its raw value.
  static var name: Conversion { text({ $0.rawValue }, { Value(rawValue: $0) }) }
}

extension Conversion where Value == [UInt8] {
  /// Bytes as lower-case hex: compact, and readable by any tool.
  static var hex: Conversion {
    plain({ .string(hexText($0)) }) { node in if case .string(let s) = node { unhex(s) } else { nil } }
  }
}

extension Conversion where Value == ClosedRange<Double> {
  /// `[lower, upper]`; a reversed or non-numeric pair is refused (it cannot be a range).
  static var range: Conversion {
    plain({ .array([.number($0.lowerBound), .number($0.upperBound)]) }) { node in
      guard case .array(let pair) = node, pair.count == 2, let lower = jsonNumber(pair[0]),
        let upper = jsonNumber(pair[1]), lower <= upper
      else { return nil }
      return lower...upper
    }
  }
}

extension Conversion where Value == [String: String] {
  /// Names to strings, written in name order so equal maps give equal bytes; values that are not
  /// strings are left out.
  static var stringMap: Conversion {
    plain({ map in .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) }) { node in
      guard case .object(let object) = node else { return nil }
      return object.compactMapValues { if case .string(let s) = $0 { s } else { nil } }
    }
  }
}

/// A number node, or one of the strings that stand for the non-finite numbers.
func jsonNumber(_ node: JSONNode?) -> Double? {
  switch node {
  case .number(let v)?: return v
  case .string("nan")?: return .nan
  case .string("inf")?: return .infinity
  case .string("-inf")?: return -.infinity
  default: return nil
  }
}

func hexText(_ bytes: [UInt8]) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var out = [UInt8]()
  out.reserveCapacity(bytes.count * 2)
  for b in bytes {
    out.append(digits[Int(b >> 4)])
    out.append(digits[Int(b & 0xF)])
  }
  return String(decoding: out, as: UTF8.self)
}

func unhex(_ text: String) -> [UInt8]? {
  let chars = Array(text.utf8)
  guard chars.count % 2 == 0 else { return nil }
  func value(_ c: UInt8) -> UInt8? {
    switch c {
    case 48...57: return c - 48
    case 97...102: return c - 87
    default: return nil
    }
  }
  var out = [UInt8]()
  out.reserveCapacity(chars.count / 2)
  var i = 0
  while i < chars.count {
    guard let high = value(chars[i]), let low = value(chars[i + 1]) else { return nil }
    out.append(high << 4 | low)
    i += 2
  }
  return out
}
