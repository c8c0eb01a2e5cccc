import Foundation
import NeuralNet
import RunLog
import RunModel
import TestSupport
import Testing

/// Checkpoints crafted to crash or mislead the reader: every number is range-checked before it
/// sizes anything, and the tensors must tile the data exactly (as safetensors requires).
@Suite struct HostileCheckpointTests {
  /// The header object and the data of a real checkpoint.
  static func parts() throws -> (header: [String: Any], data: Data) {
    let bytes = CheckpointFile.encode(CheckpointTests.state())
    var length = 0
    for i in 0..<8 { length |= Int(bytes[i]) << (8 * i) }
    let json = Data(bytes[8..<(8 + length)])
    let header = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    return (header, Data(bytes[(8 + length)...]))
  }

  /// A file with this header (or raw header text) and data.
  static func file(_ header: [String: Any]? = nil, raw: String? = nil, data: Data) throws -> [UInt8] {
    let json = try raw.map { Data($0.utf8) } ?? JSONSerialization.data(withJSONObject: header ?? [:])
    var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init)
    bytes += json
    bytes += data
    return bytes
  }

  func problem(_ bytes: [UInt8]) -> String {
    do {
      _ = try CheckpointFile.decode(bytes, path: "c")
      return "loaded"
    } catch {
      return error.problem
    }
  }

  /// Sets `key` of the metadata, or of the JSON text held in the metadata's `object`.
  func metadata(_ key: String, _ value: Any, in object: String? = nil) throws -> String {
    var (header, data) = try Self.parts()
    var meta = try #require(header["__metadata__"] as? [String: Any])
    if let object {
      let text = try #require(meta[object] as? String)
      var inner = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
      inner[key] = value
      meta[object] = String(decoding: try JSONSerialization.data(withJSONObject: inner), as: UTF8.self)
    } else {
      meta[key] = value
    }
    header["__metadata__"] = meta
    return problem(try Self.file(header, data: data))
  }

  @Test func numbersInTheMetadataAreRangeCheckedBeforeUse() throws {
    #expect(try metadata("batch", "0") == "bad header: 'batch' is 0, outside 1...65536")
    #expect(try metadata("batch", "100000000000") == "bad header: 'batch' is 100000000000, outside 1...65536")
    #expect(
      try metadata("step", String(Int.max))
        == "bad header: 'step' is 9223372036854775807, outside 0...1099511627776")
    #expect(
      try metadata("optimizer_steps", "-1")
        == "bad header: 'optimizer_steps' is -1, outside 0...1099511627776")
    #expect(try metadata("epochs", "0") == "bad header: 'epochs' is 0, outside 1...100000")
    #expect(
      try metadata("epochs_completed", "11") == "bad header: 'epochs_completed' 11 is more than 'epochs' 10")
    #expect(try metadata("step", "1e3") == "bad header: bad step '1e3'")
  }

  @Test func hyperparametersOutsideTheirKnobsRangesAreRefused() throws {
    #expect(
      try metadata("lr", 1e300, in: "hyperparameters")
        == "bad header: hyperparameters: 'lr' is 1e+300, outside 1e-06...10.0")
    #expect(
      try metadata("dropout", 0.99, in: "hyperparameters")
        == "bad header: hyperparameters: 'dropout' is 0.99, outside 0.0...0.95")
    #expect(
      try metadata("l2", "nan", in: "hyperparameters")
        == "bad header: hyperparameters: 'l2' is nan, outside 0.0...1.0")
    #expect(
      try metadata("momentum", -1, in: "hyperparameters")
        == "bad header: hyperparameters: 'momentum' is -1.0, outside 0.0...0.999")
  }

  /// Metadata claiming a huge network is refused before anything of its size is allocated: by
  /// its widths, or (when the widths are in range) by the tensors that do not match it.
  @Test func hugeNetworksAreRefusedBeforeAllocating() throws {
    #expect(
      try metadata("input", 100_000_000_000_000, in: "network")
        == "bad header: network: input width 100000000000000 is outside 1...65536")
    #expect(
      try metadata("hidden", Array(repeating: 8, count: 300), in: "network")
        == "bad header: network: 300 hidden layers, at most 256")
    #expect(
      try metadata("hidden", [65_536, 65_536], in: "network")
        == "wrong architecture: hidden1.weight is [5, 7], 5-65536-65536-3 relu needs [5, 65536]")
  }

  @Test func offsetsAndShapesBeyondAnIntAreRefused() throws {
    var (header, data) = try Self.parts()
    var weight = try #require(header["hidden1.weight"] as? [String: Any])
    weight["data_offsets"] = [4992, 9_223_372_036_854_775_807]
    header["hidden1.weight"] = weight
    #expect(
      problem(try Self.file(header, data: data))
        == "bad header: hidden1.weight: 'data_offsets[1]' is not a whole number")
    weight["data_offsets"] = [0, 140]
    weight["shape"] = [1e30]
    header["hidden1.weight"] = weight
    #expect(
      problem(try Self.file(header, data: data))
        == "bad header: hidden1.weight: 'shape[0]' is not a whole number")
  }

  /// Overlapping tensors, holes, trailing bytes, duplicate and unexpected names: the safetensors
  /// format forbids each, and each would load a wrong model.
  @Test func tensorsMustTileTheDataExactly() throws {
    let (header, data) = try Self.parts()
    var overlap = header
    var bias = try #require(header["hidden1.bias"] as? [String: Any])
    let biasOffsets = try #require(bias["data_offsets"] as? [Int])
    bias["data_offsets"] = [0, biasOffsets[1] - biasOffsets[0]]  // inside hidden1.weight
    overlap["hidden1.bias"] = bias
    #expect(
      problem(try Self.file(overlap, data: data))
        == "overlapping data_offsets: hidden1.bias starts inside hidden1.weight")
    var trailing = data
    trailing.append(contentsOf: [1, 2, 3, 4, 5, 6, 7, 8])
    #expect(
      problem(try Self.file(header, data: trailing)) == "8 bytes of trailing data after the last tensor")
    var stranger = header
    stranger["extra.weight"] = ["dtype": "F32", "shape": [1], "data_offsets": [0, 4]]
    #expect(
      problem(try Self.file(stranger, data: data))
        == "wrong architecture: unexpected tensor extra.weight for 5-7-4-3 relu")
    let text = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
    let duplicate = String(text.dropLast()) + ", \"hidden1.bias\": {}}"
    #expect(
      problem(try Self.file(raw: duplicate, data: data))
        == "bad header: not valid JSON (the key 'hidden1.bias' appears twice)")
    #expect(problem(try Self.file(header, data: data)) == "loaded")
  }

  /// Fuzz: every metadata key and every tensor entry's fields set to hostile values (fixed seed,
  /// bounded count). Nothing may crash, and nothing but the untouched file may load with a
  /// different architecture.
  @Test func fuzzedHeadersNeverCrash() throws {
    let (header, data) = try Self.parts()
    let hostile: [Any] = [
      "nan", "inf", "-inf", -1, 0, 1e19, 9_223_372_036_854_775_807, 1e300, "", "x", [Any](), [String: Any](),
      NSNull(), true, "18446744073709551616", "-5", "65536", [65_536, 65_536], [1e30], [-1, 4],
    ]
    var rng = SeededGenerator(seed: 13)
    var refused = 0
    for (name, value) in header {
      guard let object = value as? [String: Any] else { continue }
      for key in object.keys.sorted() {
        for _ in 0..<6 {
          var copy = object
          copy[key] = hostile[Int(rng.next() % UInt64(hostile.count))]
          var mutated = header
          mutated[name] = copy
          if problem(try Self.file(mutated, data: data)) != "loaded" { refused += 1 }
        }
      }
    }
    #expect(refused > 100)
  }
}
