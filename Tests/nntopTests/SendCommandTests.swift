import Foundation
import RunLog
import RunModel
import TestSupport
import Testing

/// `nntop send` as a user runs it: each accepted command is one line of the run's command log;
/// a bad knob, value or run log is refused with its exit code and nothing is written.
@Suite struct SendCommandTests {
  @Test func sentCommandsAreAppendedInOrder() throws {
    let folder = TemporaryFolder("send")
    let runLog = folder.write("run.jsonl", text: "")
    _ = folder.write("run.commands", text: "")  // as the PyTorch client makes it
    for words in [
      ["lr", "0.01"], ["pause"], ["step"], ["resume"], ["dropout", "0.25"], ["checkpoint"], ["stop"],
    ] {
      let run = try Run.nntop(["send", runLog] + words)
      #expect(run.status == 0, "\(words): \(run.stderr)")
      #expect(run.stdout.contains("run.commands: \(words.joined(separator: " "))"))
    }
    let lines = String(decoding: folder.read("run.commands"), as: UTF8.self).split(separator: "\n")
    #expect(
      try lines.map { try CommandLog.command($0) } == [
        .set(.learningRate, 0.01), .pause, .singleStep, .resume, .set(.dropout, 0.25), .checkpoint, .stop,
      ])
  }

  @Test func badCommandsAreRefusedAndNothingIsWritten() throws {
    let folder = TemporaryFolder("send")
    let runLog = folder.write("run.jsonl", text: "")
    let refusals: [([String], Int32, String)] = [
      ([runLog, "lr", "0.01"], 66, "no command log, so no run reads commands"),
      ([runLog, "lr", "-1"], 64, "lr -1 is outside 1e-06 … 10.0"),
      ([runLog, "train_size", "100"], 64, "train_size is for nntop's own trainer"),
      ([runLog, "lr", "20"], 64, "lr 20 is outside 1e-06 … 10.0"),
      ([runLog, "speed", "1"], 64, "unknown command 'speed'"),
      ([runLog, "lr"], 64, "lr needs one number"),
      ([runLog, "pause", "now"], 64, "pause takes no value"),
      ([runLog, "lr_find"], 64, "lr_find is for nntop's own trainer"),
      ([folder.file("missing.jsonl"), "stop"], 66, "no such run log"),
    ]
    for (arguments, status, message) in refusals {
      let run = try Run.nntop(["send"] + arguments)
      #expect(run.status == status, "\(arguments)")
      #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: folder.file("run.commands")))
    #expect(!FileManager.default.fileExists(atPath: folder.file("missing.commands")))
  }

  @Test func aFinishedRunTakesNoCommands() throws {
    let folder = TemporaryFolder("send")
    let log = folder.file("done.jsonl")
    let train = try Run.nntop(["train", "xor", "--epochs", "1", "--no-tui", "--log", log])
    #expect(train.status == 0, "\(train.stderr)")
    _ = folder.write("done.commands", text: "")
    let run = try Run.nntop(["send", log, "lr", "0.01"])
    #expect(run.status == 65)
    #expect(run.stderr.contains("the run has ended"), "\(run.stderr)")
    #expect(folder.read("done.commands").isEmpty)
  }

  /// A PyTorch loop stopped by Ctrl-C or kill -9 leaves a log without a finish: `send` said
  /// "sent" and exited 0 to a run nothing would ever read. The header's pid on this host tells.
  @Test func aRunWhoseWriterHasExitedTakesNoCommands() throws {
    let folder = TemporaryFolder("send")
    let exited = Process()
    exited.executableURL = URL(fileURLWithPath: "/bin/true")
    try exited.run()
    exited.waitUntilExit()
    for (pid, status) in [(Int(exited.processIdentifier), Int32(65)), (Int(getpid()), 0)] {
      let context = RunContext(
        command: ["python", "train.py"], created: "2026-11-30T00:00:00Z", hostname: Self.hostname, cores: 2,
        pid: pid)
      var header = RunFixture.header()
      header.writer = "pytorch"
      let log = folder.write(
        "run\(pid).jsonl",
        text: RecordEncoder.line(TimedEvent(time: 0, event: .started(header)), context: context) + "\n")
      _ = folder.write("run\(pid).commands", text: "")
      let run = try Run.nntop(["send", log, "lr", "0.01"])
      #expect(run.status == status, "\(pid): \(run.stderr)")
      if status != 0 {
        #expect(
          run.stderr.contains("the run's writer (pid \(pid)) exited without finishing its log"),
          "\(run.stderr)")
        #expect(folder.read("run\(pid).commands").isEmpty)
      }
    }
  }

  static var hostname: String {
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count - 1)
    return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
