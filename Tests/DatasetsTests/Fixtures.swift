import CZlib
import Datasets
import Foundation
import TestSupport

/// Builds small IDX files (raw or gzip) in a fresh temporary folder, removed with the fixtures.
final class Fixtures {
  private let temporary = TemporaryFolder("nntop-fixtures")
  var folder: String { temporary.path }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
  }

  static func images(count: Int, rows: Int = 28, cols: Int = 28) -> [UInt8] {
    var bytes =
      bigEndian(0x0000_0803) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(cols))
    bytes += (0..<(count * rows * cols)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    return bytes
  }

  static func labels(count: Int, value: (Int) -> UInt8 = { UInt8($0 % 10) }) -> [UInt8] {
    bigEndian(0x0000_0801) + bigEndian(UInt32(count)) + (0..<count).map(value)
  }

  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) -> String { temporary.write(name, bytes) }

  /// Writes `bytes` gzip-compressed.
  @discardableResult
  func writeGzip(_ name: String, _ bytes: [UInt8]) -> String {
    write(name, Fixtures.gzip(bytes))
  }

  static func gzip(_ bytes: [UInt8]) -> [UInt8] {
    let folder = TemporaryFolder("nntop-gz")
    let path = folder.file("data.gz")
    let file = gzopen(path, "wb")!
    _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    gzclose(file)
    return [UInt8](FileManager.default.contents(atPath: path)!)
  }

  /// A complete MNIST-shaped folder: `train` training and `test` test examples.
  func writeMNIST(train: Int = 5_010, test: Int = 20, gzip: Bool = true) {
    let files = [
      ("train-images-idx3-ubyte", Fixtures.images(count: train)),
      ("train-labels-idx1-ubyte", Fixtures.labels(count: train)),
      ("t10k-images-idx3-ubyte", Fixtures.images(count: test)),
      ("t10k-labels-idx1-ubyte", Fixtures.labels(count: test)),
    ]
    for (name, bytes) in files {
      if gzip { writeGzip(name + ".gz", bytes) } else { write(name, bytes) }
    }
  }
}
