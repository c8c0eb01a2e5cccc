import Datasets
import Foundation
import Testing

/// A small `.gz` that inflates far beyond what its IDX header declares: inflating stops one byte
/// past the declared size, so memory stays bounded by the header, not by the bomb.
@Suite struct GzipBombTests {
  /// Labels declaring 20 entries, followed by 16 MB of zeros (about 16 kB compressed).
  static var bomb: [UInt8] {
    Fixtures.gzip(Fixtures.labels(count: 20) + [UInt8](repeating: 0, count: 16 << 20))
  }

  @Test func inflatingStopsAtTheDeclaredSize() throws {
    let compressed = Self.bomb
    #expect(compressed.count < 200_000)
    #expect(IDXFile.declaredSize(Array(Fixtures.labels(count: 20).prefix(8))) == 28)
    do {
      _ = try Gzip.decompress(compressed, path: "bomb.gz", declaredSize: IDXFile.declaredSize)
      Issue.record("the bomb inflated")
    } catch {
      #expect(error.description == "bomb.gz: inflates to more than 28 bytes: larger than its header declares")
    }
    // Honest files inflate as before, small or spanning many buffers.
    for count in [3, 200_000] {
      let honest = Fixtures.labels(count: count)
      #expect(
        try Gzip.decompress(Fixtures.gzip(honest), path: "ok.gz", declaredSize: IDXFile.declaredSize)
          == honest)
    }
  }

  /// The real MNIST files inflate byte for byte (their published raw digests), with the limit.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "datasets/mnist/t10k-images-idx3-ubyte.gz")))
  func realFilesInflateToTheirPublishedContent() throws {
    for (name, digest) in [
      ("t10k-images-idx3-ubyte", "0fa7898d509279e4"), ("t10k-labels-idx1-ubyte", "ff7bcfd416de3373"),
    ] {
      let path = "datasets/mnist/\(name).gz"
      let bytes = try FileReading.readAll(path)
      let raw = try Gzip.decompress(bytes, path: path, declaredSize: IDXFile.declaredSize)
      #expect(SHA256.hexDigest(raw).hasPrefix(digest), "\(name)")
    }
  }
}
