import CZlib

/// Inflates gzip data in memory with zlib, turning each zlib failure into a readable problem.
///
/// Foundation on Linux cannot inflate, and reading the whole file first lets the error say
/// whether the stream was cut short, damaged, or not gzip at all.
public enum Gzip {
  /// Whether `bytes` start with the gzip magic number.
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
  }

  /// Inflates `input`. `declaredSize` reads the size the content's own header declares from its
  /// first bytes (nil: not known yet, or no header); inflating stops one byte past it, so a small
  /// file that inflates to gigabytes (a gzip bomb) costs no more than the header admits.
  public static func decompress(
    _ input: [UInt8], path: String, declaredSize: ([UInt8]) -> Int? = { _ in nil }
  ) throws(DatasetError) -> [UInt8] {
    guard isGzip(input) else { throw DatasetError(.invalid, path: path, "not a gzip file") }
    var stream = z_stream()
    guard nntop_inflate_init_gzip(&stream) == Z_OK else {
      throw DatasetError(.invalid, path: path, "zlib could not start inflating")
    }
    defer { inflateEnd(&stream) }
    // First a small piece, enough for the content's header; then the trailer's size (modulo
    // 2^32, so only a guess) as the capacity, never beyond what the header declares.
    var output = [UInt8](repeating: 0, count: 64)
    var produced = 0
    var limit: Int?
    var headerRead = false
    var status: Int32 = Z_OK
    input.withUnsafeBufferPointer { inBuf in
      stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
      stream.avail_in = UInt32(inBuf.count)
      while true {
        if !headerRead && produced == output.count {
          headerRead = true
          limit = declaredSize(output)
          let capacity = Self.capacity(input, limit: limit)
          // One allocation for the content and the byte past it that proves a file too long:
          // growing by a temporary array, then by one byte, copied the 47 MB of the training
          // images twice and put loading's peak at 132 MB.
          output.reserveCapacity(capacity + 1)
          output.append(contentsOf: repeatElement(0, count: capacity - output.count))
        }
        if produced == output.count {
          if let limit, produced > limit { break }
          let room = limit.map { $0 + 1 - output.count } ?? output.count
          output.append(contentsOf: repeatElement(0, count: max(1, min(output.count, room))))
        }
        output.withUnsafeMutableBufferPointer { outBuf in
          stream.next_out = outBuf.baseAddress! + produced
          stream.avail_out = UInt32(min(outBuf.count - produced, Int(UInt32.max)))
          let before = stream.avail_out
          status = inflate(&stream, Z_NO_FLUSH)
          produced += Int(before - stream.avail_out)
        }
        if status != Z_OK { break }
        if stream.avail_in == 0 && stream.avail_out > 0 {
          status = Z_BUF_ERROR
          break
        }
      }
    }
    if let limit, produced > limit {
      throw DatasetError(
        .invalid, path: path, "inflates to more than \(limit) bytes: larger than its header declares")
    }
    switch status {
    case Z_STREAM_END:
      output.removeSubrange(produced...)
      return output
    case Z_BUF_ERROR:
      throw DatasetError(
        .invalid, path: path,
        "truncated gzip stream (ends after \(input.count) bytes, \(produced) bytes inflated)")
    case Z_DATA_ERROR:
      let reason = stream.msg.map { String(cString: $0) } ?? "invalid data"
      throw DatasetError(.invalid, path: path, "corrupt gzip data: \(reason)")
    case Z_MEM_ERROR:
      throw DatasetError(.invalid, path: path, "out of memory while inflating")
    default:
      throw DatasetError(.invalid, path: path, "gzip error \(status)")
    }
  }

  /// Room for the whole content: the trailer's size when it is plausible, capped one byte past
  /// the declared size (that byte is how a larger stream is noticed).
  static func capacity(_ input: [UInt8], limit: Int?) -> Int {
    var capacity = 1 << 16
    if input.count >= 18 {
      let n = input.count
      let hint =
        Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
      if hint > 0 && hint < 1 << 30 { capacity = hint + 1 }
    }
    return max(64, limit.map { min(capacity, $0 + 1) } ?? capacity)
  }
}
