/// The few pieces of the protocol-buffer wire format the event files need, by hand: a reader
/// that walks the fields of one message (skipping the ones it does not know) and a writer.
///
/// Every length read from a file is checked against the bytes that are actually there, so a
/// damaged message ends the walk instead of reading past its end.
struct ProtoReader {
  enum Payload {
    case varint(UInt64)
    case fixed64(UInt64)
    case fixed32(UInt32)
    case bytes(UnsafeRawBufferPointer)
  }

  struct Malformed: Error {}

  let bytes: UnsafeRawBufferPointer
  private(set) var position = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  var isAtEnd: Bool { position >= bytes.count }

  mutating func varint() throws(Malformed) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while position < bytes.count {
      let byte = bytes[position]
      position += 1
      guard shift < 64 else { throw Malformed() }
      result |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
    throw Malformed()
  }

  private mutating func fixed(_ count: Int) throws(Malformed) -> UInt64 {
    guard count <= bytes.count - position else { throw Malformed() }
    var value: UInt64 = 0
    for k in 0..<count { value |= UInt64(bytes[position + k]) << (8 * UInt64(k)) }
    position += count
    return value
  }

  /// The next field's number and payload, or nil at the end of the message.
  mutating func next() throws(Malformed) -> (field: Int, payload: Payload)? {
    guard !isAtEnd else { return nil }
    let key = try varint()
    let field = Int(truncatingIfNeeded: key >> 3)
    guard field > 0 else { throw Malformed() }
    switch key & 7 {
    case 0: return (field, .varint(try varint()))
    case 1: return (field, .fixed64(try fixed(8)))
    case 5: return (field, .fixed32(UInt32(try fixed(4))))
    case 2:
      let length = try varint()
      guard length <= UInt64(bytes.count - position) else { throw Malformed() }
      let start = position
      position += Int(length)
      return (field, .bytes(UnsafeRawBufferPointer(rebasing: bytes[start..<position])))
    default: throw Malformed()
    }
  }
}

extension ProtoReader.Payload {
  var double: Double? {
    if case .fixed64(let bits) = self { return Double(bitPattern: bits) }
    return nil
  }
  var float: Float? {
    if case .fixed32(let bits) = self { return Float(bitPattern: bits) }
    return nil
  }
  var integer: Int64? {
    if case .varint(let v) = self { return Int64(bitPattern: v) }
    return nil
  }
  var data: UnsafeRawBufferPointer? {
    if case .bytes(let b) = self { return b }
    return nil
  }
  var string: String? { data.map { String(decoding: $0, as: UTF8.self) } }

  /// A repeated double: packed (one length-delimited run) or one value per field.
  var doubles: [Double] {
    switch self {
    case .fixed64(let bits): return [Double(bitPattern: bits)]
    case .bytes(let b):
      return stride(from: 0, to: b.count - b.count % 8, by: 8).map { i in
        Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[i + $1]) << (8 * UInt64($1)) })
      }
    default: return []
    }
  }

  /// A repeated float: packed or one value per field.
  var floats: [Float] {
    switch self {
    case .fixed32(let bits): return [Float(bitPattern: bits)]
    case .bytes(let b):
      return stride(from: 0, to: b.count - b.count % 4, by: 4).map { i in
        Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) })
      }
    default: return []
    }
  }

  /// A repeated integer: packed varints or one value per field.
  var integers: [Int64] {
    switch self {
    case .varint(let v): return [Int64(bitPattern: v)]
    case .bytes(let b):
      var reader = ProtoReader(b)
      var values: [Int64] = []
      while !reader.isAtEnd, let v = try? reader.varint() { values.append(Int64(bitPattern: v)) }
      return values
    default: return []
    }
  }
}

/// Builds one message's bytes, field by field.
struct ProtoWriter {
  private(set) var bytes: [UInt8] = []

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  private mutating func key(_ field: Int, _ wire: UInt64) { varint(UInt64(field) << 3 | wire) }

  mutating func integer(_ field: Int, _ value: Int64) {
    key(field, 0)
    varint(UInt64(bitPattern: value))
  }

  mutating func double(_ field: Int, _ value: Double) {
    key(field, 1)
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
  }

  mutating func float(_ field: Int, _ value: Float) {
    key(field, 5)
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
  }

  mutating func data(_ field: Int, _ value: [UInt8]) {
    key(field, 2)
    varint(UInt64(value.count))
    bytes += value
  }

  mutating func string(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }

  mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
    var inner = ProtoWriter()
    build(&inner)
    data(field, inner.bytes)
  }

  mutating func packedDoubles(_ field: Int, _ values: [Double]) {
    var raw: [UInt8] = []
    raw.reserveCapacity(values.count * 8)
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw += $0 } }
    data(field, raw)
  }
}
