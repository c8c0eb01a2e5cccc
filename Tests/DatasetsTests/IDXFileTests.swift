import Datasets
import Testing

@Suite struct IDXFileTests {
  @Test func parsesDimensionsAndData() throws {
    let file = try IDXFile.parse(
      Fixtures.images(count: 3, rows: 2, cols: 4), rank: 3, noun: "images", path: "x")
    #expect(file.dimensions == [3, 2, 4])
    #expect(file.data.count == 24)
    #expect(file.itemSize == 8)
  }

  func problem(_ bytes: [UInt8], rank: Int = 3, noun: String = "images") -> String? {
    do {
      _ = try IDXFile.parse(bytes, rank: rank, noun: noun, path: "f.idx")
      return nil
    } catch {
      #expect(error.kind == .invalid)
      return error.description
    }
  }

  @Test func truncatedAtSeveralOffsetsSaysWhatIsMissing() {
    let full = Fixtures.images(count: 10, rows: 28, cols: 28)
    #expect(problem(Array(full.prefix(3))) == "f.idx: truncated: 3 bytes, too short for an IDX header")
    #expect(problem(Array(full.prefix(10))) == "f.idx: truncated: header needs 16 bytes, file has 10")
    #expect(
      problem(Array(full.prefix(16)))
        == "f.idx: truncated: header declares 10 images (7840 bytes), file has 0")
    #expect(
      problem(Array(full.prefix(1216)))
        == "f.idx: truncated: header declares 10 images (7840 bytes), file has 1200")
    #expect(
      problem(Array(full.dropLast()))
        == "f.idx: truncated: header declares 10 images (7840 bytes), file has 7839")
  }

  @Test func extraBytesAreASizeMismatch() {
    #expect(
      problem(Fixtures.labels(count: 4) + [1, 2], rank: 1, noun: "labels")
        == "f.idx: size mismatch: header declares 4 labels (4 bytes), file has 6")
  }

  @Test func wrongMagicAndTypeAndRank() {
    var bytes = Fixtures.images(count: 1)
    bytes[0] = 0x1F
    #expect(problem(bytes) == "f.idx: bad magic number 0x1f000803: not an IDX file")
    bytes = Fixtures.images(count: 1)
    bytes[2] = 0x0D
    #expect(problem(bytes) == "f.idx: unsupported element type 0x0d (expected unsigned byte, 0x08)")
    #expect(
      problem(Fixtures.labels(count: 2), rank: 3)
        == "f.idx: bad magic number 0x00000801: 1 dimensions, expected 3 for images")
  }
}
