import Foundation

/// A JSON value written in a fixed key order: run-log records and the benchmark's lines.
///
/// Non-finite numbers have no JSON form; they are written as the strings "nan", "inf" and "-inf"
/// (`jq` and pandas read them as strings, and nntop reads them back as numbers).
public indirect enum JSONValue: Sendable {
  case number(Double)
  case integer(Int)
  case string(String)
  case bool(Bool)
  case null
  case array([JSONValue])
  case object([(String, JSONValue)])

  public var text: String {
    switch self {
    case .number(let v):
      guard v.isFinite else { return v.isNaN ? "\"nan\"" : (v > 0 ? "\"inf\"" : "\"-inf\"") }
      if v == v.rounded() && abs(v) < 1e15 { return String(format: "%.1f", v) }
      return "\(v)"
    case .integer(let v): return String(v)
    case .string(let s): return JSONValue.quote(s)
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array(let items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
    case .object(let pairs):
      return "{" + pairs.map { JSONValue.quote($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
    }
  }

  public static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

/// Rounds like Python's round(x, digits), for figures that compare with the reference scripts.
public func rounded(_ value: Double, _ digits: Int) -> Double {
  let scale = pow(10, Double(digits))
  return (value * scale).rounded() / scale
}
