import SystemIO

/// A parsed JSON value.
public indirect enum JSONNode: Sendable, Equatable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case null
  case array([JSONNode])
  case object([String: JSONNode])
}

/// A small strict JSON parser for run-log lines.
///
/// Foundation's `JSONSerialization` on Linux rounds some numbers in the last bit
/// (0.30000000000000004 came back as 0.30000000000000001); numbers here go through
/// `Double(String)`, which is correctly rounded, so a log replays the exact values it recorded.
public struct JSONParser {
  private let bytes: [UInt8]
  private var i = 0

  public static func parse(_ text: Substring) throws(RecordError) -> JSONNode {
    var parser = JSONParser(bytes: Array(text.utf8))
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.i == parser.bytes.count else {
      throw RecordError(description: "not valid JSON (trailing text)")
    }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func skipSpace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
      i += 1
    }
  }

  private func fail() -> RecordError { RecordError(description: "not valid JSON") }

  private mutating func value(depth: Int) throws(RecordError) -> JSONNode {
    guard depth < 64, i < bytes.count else { throw fail() }
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var object: [String: JSONNode] = [:]
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(object)
      }
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail() }
        let key = try string()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail() }
        i += 1
        skipSpace()
        // A repeated key would silently win or lose depending on the reader (safetensors
        // requires unique tensor names); refused.
        guard object[key] == nil else {
          throw RecordError(
            description: "not valid JSON (the key '\(key.printable(limit: 60))' appears twice)")
        }
        object[key] = try value(depth: depth + 1)
        skipSpace()
        guard i < bytes.count else { throw fail() }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard bytes[i] == UInt8(ascii: "}") else { throw fail() }
        i += 1
        return .object(object)
      }
    case UInt8(ascii: "["):
      i += 1
      var array: [JSONNode] = []
      skipSpace()
      if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(array)
      }
      while true {
        skipSpace()
        array.append(try value(depth: depth + 1))
        skipSpace()
        guard i < bytes.count else { throw fail() }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        guard bytes[i] == UInt8(ascii: "]") else { throw fail() }
        i += 1
        return .array(array)
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    default:
      return .number(try number())
    }
  }

  private mutating func literal(_ word: String, _ node: JSONNode) throws(RecordError) -> JSONNode {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail() }
    i += w.count
    return node
  }

  private mutating func number() throws(RecordError) -> Double {
    let start = i
    while i < bytes.count,
      (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")) || bytes[i] == UInt8(ascii: "-")
        || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e")
        || bytes[i] == UInt8(ascii: "E")
    {
      i += 1
    }
    guard i > start, let value = Double(String(decoding: bytes[start..<i], as: UTF8.self)), value.isFinite
    else {
      throw fail()
    }
    return value
  }

  private mutating func string() throws(RecordError) -> String {
    i += 1  // opening quote
    var scalars = String.UnicodeScalarView()
    var run: [UInt8] = []
    func flush() {
      if !run.isEmpty {
        scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
        run.removeAll()
      }
    }
    while i < bytes.count {
      let c = bytes[i]
      if c == UInt8(ascii: "\"") {
        i += 1
        flush()
        return String(scalars)
      }
      if c < 0x20 { throw fail() }
      if c == UInt8(ascii: "\\") {
        flush()
        i += 1
        guard i < bytes.count else { throw fail() }
        switch bytes[i] {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "u"):
          guard i + 4 < bytes.count,
            let code = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16)
          else { throw fail() }
          i += 4
          scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        default: throw fail()
        }
        i += 1
        continue
      }
      run.append(c)
      i += 1
    }
    throw fail()
  }
}
