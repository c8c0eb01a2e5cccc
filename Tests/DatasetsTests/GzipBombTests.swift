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
}
