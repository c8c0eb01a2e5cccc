import Foundation
import TestSupport
import Testing

/// `export --output`: atomic over regular files, through symlinks and to devices, never over
/// its own input.
@Suite struct ExportOutputTests {
  @Test func theOutputIsWrittenWhereItPointsAndNeverOverTheInput() throws {
    let folder = TemporaryFolder("nntop-export")
    let log = folder.file("run.jsonl")
    try FileManager.default.copyItem(atPath: "Tests/Golden/circles.jsonl", toPath: log)
    let original = try String(contentsOfFile: log, encoding: .utf8)
    // The input itself, directly or through a link, is refused and left as it was.
    try FileManager.default.createSymbolicLink(atPath: folder.file("link.jsonl"), withDestinationPath: log)
    for output in [log, folder.file("link.jsonl")] {
      let run = try Run.nntop(["export", "--csv", log, "--output", output])
      #expect(run.status == 64 && run.stderr.contains("refusing to overwrite it"))
    }
    #expect(try String(contentsOfFile: log, encoding: .utf8) == original)
    // An existing file (another run's log, here through a link) is left alone unless replacing;
    // a symlink is written through: the link stays, its target gets the CSV.
    let target = folder.write("real.csv", text: "old\n")
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("out.csv"), withDestinationPath: "real.csv")
    let kept = try Run.nntop(["export", "--csv", log, "--output", folder.file("out.csv")])
    #expect(
      kept.status == 73 && kept.stderr.contains("already exists: pass --replace to overwrite it"), "\(kept)")
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "old\n")
    #expect(
      try Run.nntop(["export", "--csv", log, "--output", folder.file("out.csv"), "--replace"]).status == 0)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.file("out.csv")) == "real.csv")
    #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("epoch,step,"))
    // A device is written to, not replaced; a full one is an error.
    let full = try Run.nntop(["export", "--csv", log, "--output", "/dev/full"])
    #expect(full.status == 74 && full.stderr.contains("cannot write /dev/full: No space left on device"))
    var info = stat()
    #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
  }
}

/// `export --tensorboard DIR` twice into one folder: TensorBoard reads every event file of a
/// folder as one run, so the second export is refused (exit 73) unless `--replace` removes the
/// first; the folder then lists each tag once, under the folder's own name.
@Suite struct TensorBoardReExportTests {
  static func eventFiles(_ folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("tfevents") }
  }

  @Test func aSecondExportIsRefusedUnlessReplacing() throws {
    let folder = TemporaryFolder("nntop-reexport")
    let target = folder.file("tb/circles")
    let log = Repository.golden + "/circles.jsonl"
    let first = try Run.nntop(["export", log, "--tensorboard", target])
    #expect(first.status == 0, "\(first)")
    let written = try Self.eventFiles(target)
    #expect(written.count == 1)
    let second = try Run.nntop(["export", log, "--tensorboard", target])
    #expect(second.status == 73)
    #expect(
      second.stderr
        == "nntop: error: \(target) already holds event files (\(written[0])): TensorBoard would show every "
        + "point twice; export into a new folder, or pass --replace\n", "\(second.stderr)")
    #expect(try Self.eventFiles(target) == written)
    let replaced = try Run.nntop(["export", log, "--tensorboard", target, "--replace"])
    #expect(replaced.status == 0, "\(replaced)")
    #expect(try Self.eventFiles(target).count == 1)
    // Read back: three epochs are three points, and the run is named after its folder.
    let listed = try Run.nntop(["view", "--no-tui", target])
    let line = listed.stdout.split(separator: "\n").first { $0.contains(" validation/accuracy ") }
    #expect(line?.hasPrefix("circles validation/accuracy points=3 ") == true, "\(listed.stdout)")
    let misuse = try Run.nntop(["export", log, "--replace"])
    #expect(
      misuse.status == 64 && misuse.stderr.contains("--replace goes with --output or --tensorboard"),
      "\(misuse)")
  }
}
