import Foundation
import TestSupport
import Testing

@testable import EventFiles

/// Which runs a logdir holds: folders of event files (read in name order), run logs, and the
/// awkward cases (loops, unreadable folders, many runs).
@Suite struct DiscoveryTests {
  @Test func runsAreFoldersOfEventFilesInNameOrderAndLogs() throws {
    let folder = TemporaryFolder()
    folder.write("b.jsonl", [])
    folder.write("events.out.tfevents.9.h.3.0", [])
    for sub in ["a/train", "a/validation"] {
      try FileManager.default.createDirectory(atPath: folder.file(sub), withIntermediateDirectories: true)
    }
    folder.write("a/train/events.out.tfevents.2.h.1.0", [])
    folder.write("a/train/events.out.tfevents.1.h.1.0", [])
    folder.write("a/validation/events.out.tfevents.1.h.2.0", [])
    folder.write("a/train/notes.txt", [])
    let (runs, problems) = RunDiscovery.runs(under: [folder.path])
    #expect(problems.isEmpty)
    // The folder given is a run too, named after itself ("." said nothing beside other runs).
    let own = (folder.path as NSString).lastPathComponent
    #expect(runs.map(\.name) == ["b.jsonl", own, "a/train", "a/validation"])
    #expect(RunDiscovery.runs(under: [folder.file("a/train") + "/"]).runs.map(\.name) == ["train"])
    #expect(RunDiscovery.runs(under: [folder.file("a/train/.")]).runs.map(\.name) == ["train"])
    #expect(
      runs[2].source
        == .eventFiles([
          folder.file("a/train/events.out.tfevents.1.h.1.0"),
          folder.file("a/train/events.out.tfevents.2.h.1.0"),
        ]))
    // A file named directly is a run of its own.
    let single = RunDiscovery.runs(under: [folder.file("b.jsonl")]).runs
    #expect(single == [DiscoveredRun(name: "b.jsonl", source: .runLog(folder.file("b.jsonl")))])
  }

  @Test func loopsAreVisitedOnceAndMissingPathsAreReported() throws {
    let folder = TemporaryFolder()
    try FileManager.default.createDirectory(atPath: folder.file("r"), withIntermediateDirectories: true)
    folder.write("r/events.out.tfevents.1.h.1.0", [])
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("r/loop"), withDestinationPath: folder.path)
    let (runs, problems) = RunDiscovery.runs(under: [folder.path, folder.file("missing")])
    #expect(runs.map(\.name) == ["r"])
    #expect(problems.count == 1 && problems[0].hasPrefix(folder.file("missing")))
  }

  @Test func fiveHundredRunsAreAllFound() throws {
    let folder = TemporaryFolder()
    for i in 0..<500 {
      let name = String(format: "run%03d", i)
      try FileManager.default.createDirectory(atPath: folder.file(name), withIntermediateDirectories: true)
      folder.write(name + "/events.out.tfevents.1.h.1.0", [])
    }
    let runs = RunDiscovery.runs(under: [folder.path]).runs
    #expect(runs.count == 500 && runs.first?.name == "run000" && runs.last?.name == "run499")
  }
}
