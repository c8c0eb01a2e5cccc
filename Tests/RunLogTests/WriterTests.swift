import Foundation
import RunLog
import RunModel
import Synchronization
import TestSupport
import Testing

@Suite struct WriterTests {
  @Test func writerCreatesFoldersWritesLinesAndReadsBack() throws {
    let folder = TemporaryFolder("nntop-log")
    let path = folder.file("logs/run.jsonl")  // the writer creates the folder logs
    let writer = try RunLogWriter(
      path: path, context: RunContext(command: ["x"], created: "now", hostname: "h", cores: 1),
      clock: { 1.5 },
      onFailure: { _ in })
    for event in LogFixture.events { writer.write(event) }
    writer.close()
    let data = try #require(FileManager.default.contents(atPath: path))
    let contents = RunLogReader.parse([UInt8](data))
    #expect(contents.records.count == LogFixture.events.count)
    #expect(contents.records[0].time == 0)
    #expect(contents.records[1].time == 1.5)
  }

  @Test func anExistingFileOrAnUnwritableFolderIsExitCode73() throws {
    let folder = TemporaryFolder("nntop-log")
    let path = folder.file("run.jsonl")
    let context = RunContext(command: [], created: "", hostname: "", cores: 1)
    _ = try RunLogWriter(path: path, context: context, clock: { 0 }, onFailure: { _ in })
    #expect(throws: RunLogError.self) {
      _ = try RunLogWriter(path: path, context: context, clock: { 0 }, onFailure: { _ in })
    }
    do {
      _ = try RunLogWriter(path: "/proc/nntop/run.jsonl", context: context, clock: { 0 }, onFailure: { _ in })
      Issue.record("created a log under /proc")
    } catch {
      #expect(error.exitCode == 73)
      #expect(error.description.hasPrefix("cannot create folder /proc/nntop"))
    }
  }

  @Test func aFullDiskWarnsOnceAndTrainingGoesOn() throws {
    // /dev/full fails every write with ENOSPC; the writer reports it once and stops writing.
    let failures = FailureCounter()
    let writer = try RunLogWriter(
      path: "/dev/full", context: RunContext(command: [], created: "", hostname: "", cores: 1), clock: { 0 },
      onFailure: { failures.add($0) }, mustCreate: false)
    for event in LogFixture.events { writer.write(event) }
    #expect(failures.messages.count == 1)
    #expect(failures.messages.first?.contains("No space left on device") == true)
    #expect(writer.hasFailed)
  }

  /// The log's folder removed while the run writes: said once at the next key record, and the
  /// writer counts as failed (so the end does not name a file that is gone).
  @Test func aLogDeletedMidRunIsNoticedAndSaid() throws {
    let folder = TemporaryFolder("nntop-log")
    let path = folder.file("logs/run.jsonl")
    let failures = FailureCounter()
    let writer = try RunLogWriter(
      path: path, context: RunContext(command: [], created: "", hostname: "", cores: 1), clock: { 0 },
      onFailure: { failures.add($0) })
    writer.write(LogFixture.events[0])
    #expect(failures.messages.isEmpty)
    try FileManager.default.removeItem(atPath: folder.file("logs"))
    for event in LogFixture.events.dropFirst() { writer.write(event) }
    #expect(
      failures.messages == [
        "run log \(path) was deleted while the run wrote it; training goes on, nothing more is logged"
      ])
    #expect(writer.hasFailed)
  }

  @Test func followerEndsWithExactlyTheWritersRecords() throws {
    let folder = TemporaryFolder("nntop-log")
    let path = folder.write("run.jsonl", [])
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    let follower = try RunLogFollower(path: path)
    var received: [TimedEvent] = []
    var rng = SystemRandomNumberGenerator()
    let bytes = LogFixture.bytes
    var offset = 0
    while offset < bytes.count {
      let chunk = Int.random(in: 1...97, using: &rng)
      let end = min(bytes.count, offset + chunk)
      handle.write(Data(bytes[offset..<end]))
      offset = end
      received += follower.poll()
    }
    received += follower.poll()
    try handle.close()
    #expect(received.count == LogFixture.events.count)
    #expect(follower.finished)
    #expect(follower.skipped.isEmpty)
    let original = RunLogReader.parse(bytes).records
    let context = RunContext(
      command: ["nntop", "train", "spiral"], created: "2026-11-21T00:00:00Z", hostname: "h", cores: 2)
    #expect(
      received.map { RecordEncoder.line($0, context: context) }
        == original.map { RecordEncoder.line($0, context: context) })
  }
}

final class FailureCounter: Sendable {
  private let storage = Mutex<[String]>([])
  func add(_ message: String) { storage.withLock { $0.append(message) } }
  var messages: [String] { storage.withLock { $0 } }
}

/// The follower notices a log cut shorter than what it has read, and stops (it used to wait for
/// ever at an offset past the end).
@Suite struct FollowerTruncationTests {
  @Test func aCutLogEndsTheFollowingWithTheReason() throws {
    let folder = TemporaryFolder("nntop-follow")
    let golden = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
    let lines = golden.split(separator: "\n").prefix(3).map { String($0) + "\n" }
    let path = folder.write("run.jsonl", text: lines.joined())
    let follower = try RunLogFollower(path: path)
    #expect(follower.poll().count == 3 && follower.stoppedBecause == nil)
    // Cut in place, as `: > run.jsonl` or a writer reopening it would.
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: UInt64(lines[0].utf8.count))
    try handle.close()
    #expect(follower.poll().isEmpty)
    #expect(follower.finished)
    let why = try #require(follower.stoppedBecause)
    #expect(why.hasPrefix("\(path) was cut to \(lines[0].utf8.count) bytes"))
    // Replaced under its name (a new file): the same.
    let other = try RunLogFollower(path: path)
    #expect(other.poll().count == 1)
    try FileManager.default.removeItem(atPath: path)
    folder.write("run.jsonl", text: lines.joined())
    #expect(
      other.poll().isEmpty
        && other.stoppedBecause == "\(path) was replaced by another file while it was being watched")
  }

  /// No run log at all: a folder is refused at once, a file whose first line is no header stops
  /// the following (a watch of either had waited for records for ever).
  @Test func aFolderOrAFileWithoutAHeaderIsNotFollowed() throws {
    let folder = TemporaryFolder("nntop-follow")
    #expect(throws: RunLogError.self) { try RunLogFollower(path: folder.path) }
    do {
      _ = try RunLogFollower(path: folder.path)
    } catch {
      #expect(
        error.exitCode == 65 && error.description == "\(folder.path): is a directory, not a regular file")
    }
    let binary = folder.write("noise.jsonl", [0xFF, 0xFE, 0x00, 0x41, 0x0A, 0x7B, 0x0A])
    let follower = try RunLogFollower(path: binary)
    #expect(follower.poll().isEmpty && follower.finished)
    #expect(
      follower.stoppedBecause?.hasPrefix("\(binary) is not a run log (line 1: ") == true,
      "\(follower.stoppedBecause ?? "")")
    // A header still being written is waited for.
    let partial = folder.write("partial.jsonl", text: "{\"type\": \"hea")
    let waiting = try RunLogFollower(path: partial)
    #expect(waiting.poll().isEmpty && !waiting.finished && waiting.stoppedBecause == nil)
  }
}
