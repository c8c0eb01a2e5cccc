import Foundation
import NeuralNet
import RunLog
import RunModel
import TestSupport

/// Damaged copies of real run logs: one field of one record set to a hostile value at a time.
struct LogMutation {
  /// Values no writer produces: non-finite (both spellings), huge, negative, the wrong type.
  static var hostile: [Any] {
    [
      "nan", "inf", "-inf", 1e19, -1e19, -3, 1e12, 1e308, 0, "x", NSNull(), [Any](), true,
    ]
  }

  let name: String
  let lines: [String]

  /// The golden logs and a log with one record of every kind.
  static func sources() throws -> [LogMutation] {
    var sources = try ["circles", "diverged", "mnist-subset", "resumed"].map { name in
      let text = try String(contentsOfFile: "\(Repository.golden)/\(name).jsonl", encoding: .utf8)
      return LogMutation(name: name, lines: text.split(separator: "\n").map(String.init))
    }
    let context = RunContext(command: ["nntop"], created: "2026-11-21T00:00:00Z", hostname: "h", cores: 2)
    let everyKind = RunFixture.everyKind.enumerated().map { i, event in
      RecordEncoder.line(TimedEvent(time: Double(i) * 0.1, event: event), context: context)
    }
    sources.append(LogMutation(name: "every-kind", lines: everyKind))
    return sources
  }

  /// A path to a value inside a record: a key, then a key of the object (or of the first object
  /// or element of the list) it holds.
  typealias Path = [String]

  /// Every field of the first record of each type, one level deep into objects and lists.
  func targets() throws -> [(line: Int, path: Path)] {
    var seen = Set<String>()
    var result: [(Int, Path)] = []
    for (index, line) in lines.enumerated() {
      let record = try Self.object(line)
      guard let type = record["type"] as? String, seen.insert(type).inserted else { continue }
      for key in record.keys.sorted() where key != "type" {
        result.append((index, [key]))
        if let inner = Self.inner(record[key]) {
          for innerKey in inner.keys.sorted() { result.append((index, [key, innerKey])) }
        } else if let list = record[key] as? [Any], !list.isEmpty {
          result.append((index, [key, "0"]))
        }
      }
    }
    return result
  }

  /// Line `line` with the value at `path` replaced.
  func replacing(line: Int, path: Path, with value: Any) throws -> String {
    let record = Self.set(try Self.object(lines[line]), path[...], value)
    let data = try JSONSerialization.data(withJSONObject: record, options: [.fragmentsAllowed])
    return String(decoding: data, as: UTF8.self)
  }

  static func object(_ line: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
  }

  /// The object held by a value directly, or as the first element of a list.
  static func inner(_ value: Any?) -> [String: Any]? {
    (value as? [String: Any]) ?? ((value as? [Any])?.first as? [String: Any])
  }

  static func set(_ object: [String: Any], _ path: ArraySlice<String>, _ value: Any) -> [String: Any] {
    guard let key = path.first else { return object }
    var copy = object
    if path.count == 1 {
      copy[key] = value
    } else if let inner = object[key] as? [String: Any] {
      copy[key] = set(inner, path.dropFirst(), value)
    } else if var list = object[key] as? [Any], !list.isEmpty {
      if let first = list[0] as? [String: Any] {
        list[0] = set(first, path.dropFirst(), value)
      } else {
        list[0] = value
      }
      copy[key] = list
    }
    return copy
  }
}
