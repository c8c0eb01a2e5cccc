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
    // A symlink is written through: the link stays, its target gets the CSV.
    let target = folder.write("real.csv", text: "old\n")
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("out.csv"), withDestinationPath: "real.csv")
    #expect(try Run.nntop(["export", "--csv", log, "--output", folder.file("out.csv")]).status == 0)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.file("out.csv")) == "real.csv")
    #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("epoch,step,"))
    // A device is written to, not replaced; a full one is an error.
    let full = try Run.nntop(["export", "--csv", log, "--output", "/dev/full"])
    #expect(full.status == 74 && full.stderr.contains("cannot write /dev/full: No space left on device"))
    var info = stat()
    #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
  }
}
