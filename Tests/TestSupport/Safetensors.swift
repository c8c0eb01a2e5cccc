import Foundation

/// Reads and writes safetensors files independently of nntop's own code, so tests can make the
/// files other tools make (weights only, other names, other layouts) from a real checkpoint.
public enum Safetensors {
  public struct Tensor: Sendable {
    public var name: String
    public var shape: [Int]
    /// Little-endian float32 data.
    public var data: [UInt8]

    public init(name: String, shape: [Int], data: [UInt8]) {
      self.name = name
      self.shape = shape
      self.data = data
    }

    public var floats: [Float] {
      stride(from: 0, to: data.count, by: 4).map { i in
        Float(
          bitPattern: UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16
            | UInt32(data[i + 3]) << 24)
      }
    }

    /// A 2-D tensor transposed ([a, b] → [b, a]), as PyTorch's Linear stores nntop's weights.
    public func transposed() -> Tensor {
      precondition(shape.count == 2)
      let (rows, columns) = (shape[0], shape[1])
      var out = [UInt8](repeating: 0, count: data.count)
      for r in 0..<rows {
        for c in 0..<columns {
          let from = 4 * (r * columns + c)
          let to = 4 * (c * rows + r)
          out[to..<(to + 4)] = data[from..<(from + 4)]
        }
      }
      return Tensor(name: name, shape: [columns, rows], data: out)
    }
  }

  public static func parse(_ bytes: [UInt8]) throws -> (metadata: [String: String]?, tensors: [Tensor]) {
    var length = 0
    for i in 0..<8 { length |= Int(bytes[i]) << (8 * i) }
    let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as! [String: Any]
    let metadata = header["__metadata__"] as? [String: String]
    let start = 8 + length
    let tensors = header.filter { $0.key != "__metadata__" }.map { name, value in
      let entry = value as! [String: Any]
      let offsets = entry["data_offsets"] as! [Int]
      return (
        offsets[0],
        Tensor(
          name: name, shape: entry["shape"] as! [Int],
          data: Array(bytes[(start + offsets[0])..<(start + offsets[1])]))
      )
    }
    return (metadata, tensors.sorted { $0.0 < $1.0 }.map(\.1))
  }

  public static func encode(metadata: [String: String]?, tensors: [Tensor]) throws -> [UInt8] {
    var header: [String: Any] = [:]
    if let metadata { header["__metadata__"] = metadata }
    var offset = 0
    for t in tensors {
      header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + t.data.count]]
      offset += t.data.count
    }
    let json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    var bytes = (0..<8).map { UInt8((json.count >> (8 * $0)) & 0xFF) }
    bytes += json
    for t in tensors { bytes += t.data }
    return bytes
  }
}
