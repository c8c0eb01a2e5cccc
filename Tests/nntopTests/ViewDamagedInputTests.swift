import EventFiles
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `nntop view` on a logdir with everything wrong at once, and on a file it may not read: the
/// good runs always load, each bad file is named on stderr, the exit code is 0 (docs/tensorboard.md).
@Suite struct ViewDamagedInputTests {
  /// One run folder with one `loss` scalar at step 1.
  static func writeRun(_ folder: TemporaryFolder, _ name: String, value: Double = 0.5) throws {
    let writer = try EventFileWriter(folder: folder.file(name), wallTime: 1, host: "h")
    writer.append(Event(wallTime: 1, step: 1, values: [TaggedValue(tag: "loss", value: .scalar(value))]))
    try writer.flush()
  }

  /// 500 runs, a symbolic link looping back to the top, an empty event file (a DDP rank that
  /// wrote nothing) and a file named like an event file that is not one.
  @Test func fiveHundredRunsALoopAnEmptyAndAWrongFileTogether() throws {
    let folder = TemporaryFolder("nntop-view-damage")
    for i in 0..<500 { try Self.writeRun(folder, String(format: "runs/r%03d", i)) }
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("runs/r000/loop"), withDestinationPath: folder.path)
    try FileManager.default.createDirectory(
      atPath: folder.file("runs/empty"), withIntermediateDirectories: true)
    folder.write("runs/empty/events.out.tfevents.1.h.1.0", [])
    try FileManager.default.createDirectory(
      atPath: folder.file("runs/wrong"), withIntermediateDirectories: true)
    let wrong = folder.write(
      "runs/wrong/events.out.tfevents.1.h.1.0", Array("PK\u{3}\u{4} a zip file, not records".utf8))
    let run = try Run.nntop(["view", folder.path, "--no-tui"])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.count == 500)
    #expect(lines.first == "runs/r000 loss points=1 last_step=1 last=0.5")
    #expect(lines.last == "runs/r499 loss points=1 last_step=1 last=0.5")
    // The wrong file is named with where it went wrong; the empty one is no problem; the loop was
    // followed once (no run listed twice, nothing said about it).
    let warnings = run.stderr.split(separator: "\n")
    #expect(
      warnings.count == 1 && warnings.first?.contains(wrong) == true
        && run.stderr.contains("not an event file (a record length that fails its checksum at its start)"),
      "\(run.stderr)")
  }

  /// How an unreadable file can be made on this machine: as root, permissions do not stop
  /// reading, so nntop runs as the unprivileged user `nobody` (setpriv); otherwise mode 000 does.
  static let unprivileged: (available: Bool, why: String) = {
    guard getuid() == 0 else { return (true, "") }
    let setpriv = "/usr/bin/setpriv"
    guard FileManager.default.isExecutableFile(atPath: setpriv) else {
      return (false, "running as root without /usr/bin/setpriv: cannot make a file unreadable to nntop")
    }
    let probe = try? Run.program(
      URL(fileURLWithPath: setpriv), ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/true"])
    guard probe?.status == 0 else {
      return (false, "running as root and setpriv cannot switch to uid 65534 here: \(probe?.stderr ?? "")")
    }
    return (true, "")
  }()

  /// Runs `nntop arguments` as a user who cannot read a mode-000 file.
  static func nntopUnprivileged(_ arguments: [String]) throws -> Run {
    guard getuid() == 0 else { return try Run.nntop(arguments) }
    var environment = ProcessInfo.processInfo.environment
    environment["NNTOP_DATA"] = nil
    environment["HOME"] = "/nonexistent"
    return try Run.program(
      URL(fileURLWithPath: "/usr/bin/setpriv"),
      ["--reuid=65534", "--regid=65534", "--clear-groups", Run.executable.path] + arguments,
      environment: environment)
  }

  @Test(.enabled(if: unprivileged.available, "SKIPPED: no unreadable file possible: \(unprivileged.why)"))
  func anUnreadableFileIsNamedAndTheOtherRunsStillLoad() throws {
    let folder = TemporaryFolder("nntop-view-unreadable")
    try Self.writeRun(folder, "good")
    try Self.writeRun(folder, "locked", value: 0.25)
    let locked = try #require(
      try FileManager.default.contentsOfDirectory(atPath: folder.file("locked")).first)
    let lockedPath = folder.file("locked/" + locked)
    // The folders open to everyone (the temporary folder is the test's own, mode 700), the file to no one.
    for path in [folder.path, folder.file("good"), folder.file("locked")] { chmod(path, 0o755) }
    for file in try FileManager.default.contentsOfDirectory(atPath: folder.file("good")) {
      chmod(folder.file("good/" + file), 0o644)
    }
    chmod(lockedPath, 0)
    let run = try Self.nntopUnprivileged(["view", folder.path, "--no-tui"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == "good loss points=1 last_step=1 last=0.5\n")
    #expect(run.stderr.contains("\(lockedPath): Permission denied"), "\(run.stderr)")
    // The mechanism itself: the same file read with permission lists its value.
    chmod(lockedPath, 0o644)
    let readable = try Self.nntopUnprivileged(["view", folder.path, "--no-tui"])
    #expect(readable.stdout.contains("locked loss points=1 last_step=1 last=0.25") && readable.stderr.isEmpty)
  }
}
