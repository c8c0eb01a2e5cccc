import CKernels

/// SHA-256 (FIPS 180-4), to compare dataset files with their published checksums without
/// pulling a cryptography package into the build. The C kernel uses the CPU's SHA extensions
/// when it has them: checking MNIST's files had been the longest job of start-up but one.
public enum SHA256 {
  /// Lower-case hex digest of `bytes`; `hardware: false` forces the portable code (tests).
  public static func hexDigest(_ bytes: [UInt8], hardware: Bool = true) -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    bytes.withUnsafeBufferPointer { input in
      digest.withUnsafeMutableBufferPointer { out in
        nntop_sha256(input.baseAddress, input.count, out.baseAddress, hardware ? 1 : 0)
      }
    }
    let hex = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in digest {
      text.append(hex[Int(byte >> 4)])
      text.append(hex[Int(byte & 0xF)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
