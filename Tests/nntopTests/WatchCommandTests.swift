import Foundation
import TestSupport
import Testing

@Suite struct WatchCommandTests {
  /// A second process follows the log while the first writes it, and ends with the same lines.
  @Test func watchFollowsALiveRunToItsEnd() throws {
    let folder = TemporaryFolder("nntop-runs")
    let log = folder.path + "/live.jsonl"
    let writer = Process()
    writer.executableURL = Run.executable
    writer.arguments = ["train", "spiral", "--epochs", "300", "--log", log, "--threads", "1"]
    let writerOutput = Pipe()
    writer.standardOutput = writerOutput
    writer.standardError = FileHandle.nullDevice
    try writer.run()
    waitUntil("the log to appear") { FileManager.default.fileExists(atPath: log) }
    let watch = try Run.nntop(["watch", "--no-tui", log])
    let written = String(decoding: writerOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    writer.waitUntilExit()
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdout == written)
    #expect(watch.stdout.contains("finished after 300 epochs"))
  }
}
