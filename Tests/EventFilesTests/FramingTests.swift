import TestSupport
import Testing

@testable import EventFiles

/// TFRecord framing and its checksums, against TensorBoard's own test vectors, and what a reader
/// does with a file cut or damaged anywhere.
@Suite struct FramingTests {
  @Test func checksumsMatchTensorBoardsVectors() {
    // tensorboard/data/server/masked_crc.rs: the masked CRC of "\x1a\x11CRC test, one two".
    let bytes: [UInt8] = [0x1A, 0x11] + Array("CRC test, one two".utf8)
    #expect(CRC32C.masked(bytes) == 0x5794_D08A)
    // The standard CRC-32C check value of "123456789".
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    // A real first record: file_version "brain.Event:2", 24 bytes long.
    let length: [UInt8] = [24, 0, 0, 0, 0, 0, 0, 0]
    #expect(CRC32C.masked(length) == 0x224B_7FA3)
  }

  @Test func theFirstRecordOfARealWriterHasTheKnownChecksums() throws {
    let folder = TemporaryFolder()
    let writer = try EventFileWriter(folder: folder.path, wallTime: 1_700_000_000.5, host: "h")
    try writer.flush()
    let bytes = folder.read(RunDiscovery.baseName(writer.path))
    // Event{wall_time = 1700000000.5, file_version = "brain.Event:2"}: 9 + 15 = 24 bytes.
    #expect(bytes.count == 12 + 24 + 4)
    #expect(Array(bytes[0..<8]) == [24, 0, 0, 0, 0, 0, 0, 0])
    #expect(Array(bytes[8..<12]) == [0xA3, 0x7F, 0x4B, 0x22])
  }

  /// Three events written, then the file read back cut at every byte: a cut inside a record
  /// waits (no error), and the whole records before it are all there.
  @Test func aFileCutAnywhereKeepsItsWholeRecordsAndWaits() throws {
    let folder = TemporaryFolder()
    let bytes = try Self.threeScalars(in: folder)
    let boundaries = Self.recordEnds(bytes)
    for cut in 0...bytes.count {
      let path = folder.write("cut", Array(bytes[0..<cut]))
      let reader = EventFileReader(path: path)
      let events = reader.poll()
      #expect(reader.problem == nil, "cut \(cut): \(reader.problem ?? "")")
      #expect(events.count == boundaries.filter { $0 <= cut }.count, "cut \(cut)")
      #expect(reader.hasPartialRecord == (!boundaries.contains(cut) && cut > 0), "cut \(cut)")
    }
  }

  @Test func aFollowedFileYieldsEachRecordWhenItIsComplete() throws {
    let folder = TemporaryFolder()
    let bytes = try Self.threeScalars(in: folder)
    let path = folder.write("growing", [])
    let reader = EventFileReader(path: path)
    var seen = 0
    for (i, byte) in bytes.enumerated() {
      folder.append("growing", [byte])
      seen += reader.poll().count
      if i == bytes.count - 1 { #expect(seen == 4) }
    }
    #expect(reader.problem == nil && reader.offset == bytes.count)
  }

  @Test func aFlippedByteStopsTheFileAndSaysWhereKeepingWhatCameBefore() throws {
    let folder = TemporaryFolder()
    let bytes = try Self.threeScalars(in: folder)
    let ends = Self.recordEnds(bytes)
    // In the third record's length, and in its payload.
    for (position, what) in [(ends[1] + 2, "length that fails"), (ends[1] + 14, "data fails")] {
      var damaged = bytes
      damaged[position] ^= 0x40
      let path = folder.write("damaged", damaged)
      let reader = EventFileReader(path: path)
      let events = reader.poll()
      #expect(events.count == 2)
      let problem = try #require(reader.problem)
      #expect(problem.contains(what) && problem.contains("offset \(ends[1])") && problem.hasPrefix(path))
      #expect(reader.poll().isEmpty)
    }
    // Without data checksums the payload damage reads (as TensorBoard's fast path would).
    var payload = bytes
    payload[ends[2] - 6] ^= 0x01
    let lenient = EventFileReader(path: folder.write("lenient", payload), verifiesData: false)
    #expect(lenient.poll().count == 4 && lenient.problem == nil)
  }

  @Test func aHugeOrGarbageFileIsRefusedWithoutReadingOn() throws {
    let folder = TemporaryFolder()
    let garbage = EventFileReader(
      path: folder.write("events.out.tfevents.1.x", Array("not a record file".utf8)))
    #expect(garbage.poll().isEmpty)
    #expect(
      garbage.problem?.hasSuffix(": not an event file (a record length that fails its checksum at its start)")
        == true)
    let empty = EventFileReader(path: folder.write("empty.tfevents", []))
    #expect(empty.poll().isEmpty && empty.problem == nil && !empty.hasPartialRecord)
    let missing = EventFileReader(path: folder.path + "/none")
    #expect(missing.problem?.contains("No such file") == true)
  }

  /// A version record and three scalar events; returns the file's bytes.
  static func threeScalars(in folder: TemporaryFolder) throws -> [UInt8] {
    let writer = try EventFileWriter(folder: folder.path + "/w", wallTime: 1, host: "h")
    for step in 1...3 {
      writer.append(
        Event(
          wallTime: Double(step), step: Int64(step),
          values: [TaggedValue(tag: "loss", value: .scalar(1 / Double(step)))]))
    }
    try writer.flush()
    return folder.read("w/" + RunDiscovery.baseName(writer.path))
  }

  /// The offset just past each record.
  static func recordEnds(_ bytes: [UInt8]) -> [Int] {
    var ends: [Int] = []
    var at = 0
    while at < bytes.count {
      let length = (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
      at += 16 + length
      ends.append(at)
    }
    return ends
  }
}
