import Datasets
import Testing

@Suite struct GzipTests {
  let payload: [UInt8] = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 100) }

  @Test func roundTrip() throws {
    #expect(try Gzip.decompress(Fixtures.gzip(payload), path: "p") == payload)
  }

  @Test func truncatedStreamIsReported() {
    let compressed = Fixtures.gzip(payload)
    for cut in [12, compressed.count / 2, compressed.count - 4] {
      #expect(throws: DatasetError.self) { try Gzip.decompress(Array(compressed.prefix(cut)), path: "p") }
      do {
        _ = try Gzip.decompress(Array(compressed.prefix(cut)), path: "p")
      } catch {
        #expect(error.description.hasPrefix("p: truncated gzip stream (ends after \(cut) bytes"), "\(error)")
      }
    }
  }

  @Test func corruptedCrcIsReported() {
    var compressed = Fixtures.gzip(payload)
    compressed[compressed.count - 6] ^= 0xFF  // inside the CRC-32 of the trailer
    do {
      _ = try Gzip.decompress(compressed, path: "p")
      Issue.record("corruption went unnoticed")
    } catch {
      #expect(error.description == "p: corrupt gzip data: incorrect data check")
    }
  }

  @Test func notGzipIsReported() {
    #expect(throws: DatasetError(.invalid, path: "p", "not a gzip file")) {
      try Gzip.decompress([1, 2, 3], path: "p")
    }
  }
}
