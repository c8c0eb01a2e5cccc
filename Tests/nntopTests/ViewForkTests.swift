import Foundation
import TestSupport
import Testing

/// `f` in `nntop view` of a real run: the cursor on epoch 2, then a new live run resumed from
/// that epoch's checkpoint with the original drawn beside it, as a replay's `f` starts it.
@Suite(.serialized) struct ViewForkTests {
  @Test(.enabled(if: TmuxSession.available, "needs tmux to drive the viewer"))
  func fAtTheCursorTrainsOnFromThatEpochsCheckpoint() throws {
    let folder = TemporaryFolder("nntop-view-fork")
    let log = folder.file("a.jsonl")
    let trained = try Run.nntop([
      "train", "circles", "--epochs", "3", "--checkpoint-every", "1", "--no-tui", "--log", log,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    let session = try TmuxSession(["view", log], width: 100, height: 30, directory: folder.path)
    session.waitFor("the viewer") { $0.contains("cursor: latest") }
    try session.send("Left")
    session.waitFor("the cursor on the last epoch") { $0.contains("cursor: epoch 3") }
    try session.send("Left")
    // Drawn on the charts too, not only in the header (waited for whole: under load tmux can be
    // caught between the header's row and the charts').
    session.waitFor("the cursor on epoch 2, on the charts too") {
      $0.contains("cursor: epoch 2 · step") && $0.components(separatedBy: "epoch 2 · step").count >= 3
    }
    try session.send("f")
    // The new run: the live dashboard, paused at the checkpoint so a knob can be turned first,
    // then to its end, with the original's curves as "a" beside it.
    session.waitFor("the forked run, paused") { $0.contains("PAUSED") && $0.contains("step 64/96") }
    try session.send("Space")
    let live = session.waitFor("the forked run to finish", deadline: .seconds(60)) { $0.contains("FINISHED") }
    #expect(live.contains("epoch 3/3"), "\(live)")
    try session.send("q")
    session.waitFor("the exit") { $0.contains("exit=0") }
    let runs = try FileManager.default.contentsOfDirectory(atPath: folder.file("runs"))
    let newLog = try #require(runs.first { $0.hasSuffix(".jsonl") })
    let bytes = try #require(FileManager.default.contents(atPath: folder.file("runs/" + newLog)))
    let header = try #require(String(decoding: bytes, as: UTF8.self).split(separator: "\n").first)
    #expect(header.contains("\"resumed_from\": \"\(folder.file("a.epoch0002.safetensors"))\""), "\(header)")
    #expect(header.contains("\"--compare\", \"\(log)\""), "\(header)")
  }

  /// A TensorBoard run cannot be forked: `f` says why on the screen and the viewer stays.
  @Test(.enabled(if: TmuxSession.available, "needs tmux to drive the viewer"))
  func fOnATensorBoardRunSaysWhyAndStays() throws {
    let session = try TmuxSession(
      ["view", Repository.root + "/Tests/Fixtures/tensorboard/logdir/ddp"], width: 100, height: 30)
    session.waitFor("the viewer") { $0.contains("cursor: latest") }
    try session.send("f")
    session.waitFor("the refusal") {
      $0.contains("f forks nntop run logs with checkpoints; ddp is a TensorBoard run")
    }
    try session.send("q")
    session.waitFor("the exit") { $0.contains("exit=0") }
  }
}

/// A run log another trainer wrote (the PyTorch client's `mnist-torch`, its `.pt` files): `f`
/// in `view` and in `replay` says on the screen why it cannot fork, and the screen stays.
@Suite(.serialized) struct ForeignForkTests {
  /// A real nntop run, then the same log as another trainer would have written it.
  static func logs(in folder: TemporaryFolder) throws -> (foreignDataset: String, foreignCheckpoints: String)
  {
    let log = folder.file("a.jsonl")
    let trained = try Run.nntop([
      "train", "circles", "--epochs", "2", "--checkpoint-every", "1", "--no-tui", "--log", log,
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    let text = try String(contentsOfFile: log, encoding: .utf8)
    let dataset = folder.file("torch.jsonl")
    try text.replacingOccurrences(of: #""dataset": "circles""#, with: #""dataset": "mnist-torch""#)
      .write(toFile: dataset, atomically: true, encoding: .utf8)
    // A PyTorch checkpoint is a zip file: nntop cannot resume it.
    let checkpoints = folder.file("pt.jsonl")
    var renamed = text
    for name in ["a.epoch0001", "a.final"] {
      renamed = renamed.replacingOccurrences(of: name + ".safetensors", with: name + ".pt")
      try Data("PK\u{3}\u{4}not a model".utf8).write(to: URL(fileURLWithPath: folder.file(name + ".pt")))
    }
    try renamed.write(toFile: checkpoints, atomically: true, encoding: .utf8)
    return (dataset, checkpoints)
  }

  @Test(.enabled(if: TmuxSession.available, "needs tmux to drive the viewer"))
  func fSaysWhyItCannotForkAndStays() throws {
    let folder = TemporaryFolder("nntop-foreign-fork")
    let (dataset, checkpoints) = try Self.logs(in: folder)
    let cases = [
      (
        ["view", dataset], "cursor: latest", "cannot fork: nntop does not train mnist-torch (it trains mnist,"
      ),
      (["replay", dataset], "FINISHED", "cannot fork: nntop does not train mnist-torch (it trains mnist,"),
      (
        ["view", checkpoints], "cursor: latest",
        "cannot fork: a.final.pt is not a checkpoint nntop can resume: this is a PyTorch"
      ),
      (
        ["replay", checkpoints], "FINISHED",
        "cannot fork: a.final.pt is not a checkpoint nntop can resume: this is a PyTorch"
      ),
    ]
    for (arguments, ready, refusal) in cases {
      let session = try TmuxSession(arguments, width: 200, height: 60, directory: folder.path)
      session.waitFor("\(arguments[0]) on screen") { $0.contains(ready) }
      try session.send("f")
      session.waitFor("the refusal in \(arguments)") { $0.contains(refusal) }
      // Still on the screen: q leaves it with status 0, no new run started.
      try session.send("q")
      session.waitFor("the exit") { $0.contains("exit=0") }
      #expect(!FileManager.default.fileExists(atPath: folder.file("runs")), "\(arguments)")
    }
  }
}

/// A replay's warnings about its log show on the status line only until the next message: they
/// are printed again once the dashboard has closed.
@Suite(.serialized) struct ReplayWarningTests {
  @Test(.enabled(if: TmuxSession.available, "needs tmux to drive the replay"))
  func aDamagedLinesWarningIsPrintedAfterTheDashboard() throws {
    let folder = TemporaryFolder("nntop-replay-warning")
    var lines = try String(contentsOfFile: Repository.golden + "/circles.jsonl", encoding: .utf8)
      .split(separator: "\n").map(String.init)
    lines.insert("garbage in the middle", at: 3)
    folder.write("damaged.jsonl", text: lines.joined(separator: "\n") + "\n")
    let session = try TmuxSession(
      ["replay", "damaged.jsonl", "--speed", "0"], width: 100, height: 30, directory: folder.path)
    session.waitFor("the replay to its end") { $0.contains("FINISHED") }
    try session.send("q")
    let after = session.waitFor("the exit") { $0.contains("exit=0") }
    #expect(after.contains("damaged.jsonl: line 4: "), "\(after)")
  }
}
