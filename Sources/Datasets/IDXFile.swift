/// An IDX file (the format MNIST ships in): big-endian header, then unsigned bytes.
///
/// Parsing checks everything a damaged or wrong file could get wrong and says which: the magic
/// number and element type, the number of dimensions, and the declared size against the bytes
/// that are really there.
public struct IDXFile: Sendable {
  public let dimensions: [Int]
  public let data: [UInt8]

  public var count: Int { dimensions.first ?? 0 }
  public var itemSize: Int { dimensions.dropFirst().reduce(1, *) }

  /// Parses raw (already inflated) IDX bytes expected to have `rank` dimensions.
  /// `noun` names the items in messages ("images", "labels").
  public static func parse(
    _ input: consuming [UInt8], rank: Int, noun: String, path: String
  ) throws(DatasetError) -> IDXFile {
    var bytes = input
    guard bytes.count >= 4 else {
      throw DatasetError(.invalid, path: path, "truncated: \(bytes.count) bytes, too short for an IDX header")
    }
    let magic = readBigEndian(bytes, at: 0)
    if bytes[0] != 0 || bytes[1] != 0 {
      throw DatasetError(.invalid, path: path, "bad magic number 0x\(hex(magic)): not an IDX file")
    }
    guard bytes[2] == 0x08 else {
      throw DatasetError(
        .invalid, path: path,
        "unsupported element type 0x\(hex(UInt32(bytes[2]), width: 2)) (expected unsigned byte, 0x08)")
    }
    guard Int(bytes[3]) == rank else {
      throw DatasetError(
        .invalid, path: path,
        "bad magic number 0x\(hex(magic)): \(bytes[3]) dimensions, expected \(rank) for \(noun)")
    }
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw DatasetError(
        .invalid, path: path, "truncated: header needs \(headerSize) bytes, file has \(bytes.count)")
    }
    let dims = (0..<rank).map { Int(readBigEndian(bytes, at: 4 + 4 * $0)) }
    var expected = 1
    for d in dims {
      let (product, overflow) = expected.multipliedReportingOverflow(by: d)
      guard !overflow, product < 1 << 34 else {
        throw DatasetError(.invalid, path: path, "header declares absurd dimensions \(dims)")
      }
      expected = product
    }
    let actual = bytes.count - headerSize
    if actual < expected {
      throw DatasetError(
        .invalid, path: path,
        "truncated: header declares \(dims[0]) \(noun) (\(expected) bytes), file has \(actual)")
    }
    if actual > expected {
      throw DatasetError(
        .invalid, path: path,
        "size mismatch: header declares \(dims[0]) \(noun) (\(expected) bytes), file has \(actual)")
    }
    // Drop the header in place: no second copy of a 47 MB image file.
    bytes.removeFirst(headerSize)
    return IDXFile(dimensions: dims, data: bytes)
  }

  /// The file size the header at the start of `prefix` declares (header plus data), or nil when
  /// the prefix is not an IDX header or too short: the most a compressed IDX file may inflate to.
  public static func declaredSize(_ prefix: [UInt8]) -> Int? {
    guard prefix.count >= 4, prefix[0] == 0, prefix[1] == 0, (1...4).contains(prefix[3]) else { return nil }
    let rank = Int(prefix[3])
    let headerSize = 4 + 4 * rank
    guard prefix.count >= headerSize else { return nil }
    var size = 1
    for i in 0..<rank {
      let (product, overflow) = size.multipliedReportingOverflow(
        by: Int(readBigEndian(prefix, at: 4 + 4 * i)))
      guard !overflow, product < 1 << 34 else { return nil }
      size = product
    }
    return headerSize + size
  }

  private static func readBigEndian(_ b: [UInt8], at i: Int) -> UInt32 {
    UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
  }

  private static func hex(_ value: UInt32, width: Int = 8) -> String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - s.count)) + s
  }
}
