/// CRC-32C (Castagnoli), the checksum of TFRecord framing, and TensorFlow's mask over it.
///
/// The mask exists because a CRC of data that itself holds CRCs is weak; TensorBoard's readers
/// compare masked values, so the writer must mask too.
public enum CRC32C {
  /// Eight tables for "slicing by 8": eight bytes per step instead of one, which keeps the
  /// checksum well below the cost of parsing the records it guards.
  static let tables: [[UInt32]] = {
    var first = [UInt32](repeating: 0, count: 256)
    for n in 0..<256 {
      var c = UInt32(n)
      for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
      first[n] = c
    }
    var tables = [first]
    for k in 1..<8 {
      tables.append(
        (0..<256).map { n in
          let previous = tables[k - 1][n]
          return (previous >> 8) ^ first[Int(previous & 0xFF)]
        })
    }
    return tables
  }()

  /// The plain CRC-32C of `bytes`.
  public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    var i = 0
    let n = bytes.count
    tables.withUnsafeBufferPointer { t in
      let t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7]
      while i + 8 <= n {
        let lo =
          crc
          ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
            | UInt32(bytes[i + 3]) << 24)
        let hi =
          UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16
          | UInt32(bytes[i + 7]) << 24
        crc =
          t7[Int(lo & 0xFF)] ^ t6[Int((lo >> 8) & 0xFF)] ^ t5[Int((lo >> 16) & 0xFF)] ^ t4[Int(lo >> 24)]
          ^ t3[Int(hi & 0xFF)] ^ t2[Int((hi >> 8) & 0xFF)] ^ t1[Int((hi >> 16) & 0xFF)] ^ t0[Int(hi >> 24)]
        i += 8
      }
      while i < n {
        crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(bytes[i])) & 0xFF)]
        i += 1
      }
    }
    return crc ^ 0xFFFF_FFFF
  }

  public static func checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBytes { checksum($0) }
  }

  /// TensorFlow's mask: rotate right by 15 and add a constant (32-bit, wrapping).
  public static func mask(_ crc: UInt32) -> UInt32 {
    ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }

  public static func masked(_ bytes: UnsafeRawBufferPointer) -> UInt32 { mask(checksum(bytes)) }
  public static func masked(_ bytes: [UInt8]) -> UInt32 { mask(checksum(bytes)) }
}
