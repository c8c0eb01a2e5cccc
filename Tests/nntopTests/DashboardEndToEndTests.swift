import Foundation
import TestSupport
import Testing

/// The step counter in the header ("step 1234/…").
func stepShown(_ screen: String) -> Int? {
  guard let range = screen.range(of: "step ") else { return nil }
  return Int(screen[range.upperBound...].prefix { $0.isNumber })
}

/// The learning rate in the hyperparameter panel: the first "learning rate" followed by a number
/// (the diagnosis may also advise on the learning rate, e.g. "lower the learning rate (l)").
func learningRateShown(_ screen: String) -> String? {
  var rest = screen[...]
  while let range = rest.range(of: "learning rate ") {
    let value = rest[range.upperBound...].drop { $0 == " " }.prefix { $0 != " " }
    if value.first?.isNumber == true { return String(value) }
    rest = rest[range.upperBound...]
  }
  return nil
}

func terminalIsSane(_ screen: String) -> Bool {
  screen.contains(" icanon ") && screen.contains(" echo ") && !screen.contains("-icanon")
    && !screen.contains(" -echo ")
}

@Suite(.serialized, .enabled(if: TmuxSession.available, "tmux is not installed"))
struct DashboardEndToEndTests {
  static let run = ["train", "spiral", "--epochs", "100000", "--seed", "1", "--no-log"]

  @Test func dashboardSteersPausesResizesAndQuitsCleanly() throws {
    let session = try TmuxSession(Self.run)
    let first = session.waitFor("the dashboard") { $0.contains("RUNNING") && $0.contains("Hyperparameters") }
    for title in ["Loss", "Accuracy", "Activations", "Gradients", "Diagnosis"] {
      #expect(first.contains(" \(title) "), "no \(title) panel")
    }
    #expect(learningRateShown(first) == "0.05")

    try session.send("L")
    session.waitFor("lr 0.1 on screen") { learningRateShown($0) == "0.1" }
    session.waitFor("the change confirmed") { $0.contains("lr 0.05 → 0.1 at step") }

    try session.send("Space")
    let paused = session.waitFor("PAUSED") { $0.contains("PAUSED") }
    let step = stepShown(paused)
    #expect(step != nil)
    keepsHolding(
      "the step counter staying put while paused", for: .milliseconds(400), poll: .milliseconds(100)
    ) {
      stepShown(session.screen()) == step
    }
    try session.send("n")
    session.waitFor("one step") { stepShown($0) == step.map { $0 + 1 } }

    try session.resize(width: 60, height: 15)
    session.waitFor("the too-small message") {
      $0.contains("terminal too small") && $0.contains("need 80×24")
    }
    try session.resize(width: 120, height: 40)
    session.waitFor("the panels back") {
      $0.contains("Hyperparameters") && !$0.contains("terminal too small")
    }

    try session.send("Space")
    session.waitFor("RUNNING again") { $0.contains("RUNNING") }
    try session.send("q")
    let end = session.waitFor("exit and stty") { $0.contains("exit=") && $0.contains("icanon") }
    #expect(end.contains("exit=0"))
    #expect(terminalIsSane(end), "terminal left in a bad mode:\n\(end)")
    #expect(end.contains("stopped after"))
    // The ended run's reading, as headless prints it: a next run's flags, never a key.
    #expect(end.contains("at the end: "))
  }

  @Test func sigtermRestoresTheTerminal() throws {
    let session = try TmuxSession(Self.run)
    session.waitFor("the dashboard") { $0.contains("RUNNING") }
    let pid = try #require(session.nntopProcess())
    kill(pid, SIGTERM)
    let end = session.waitFor("exit and stty") { $0.contains("exit=") && $0.contains("icanon") }
    #expect(end.contains("exit=143"))
    #expect(terminalIsSane(end), "terminal left in a bad mode:\n\(end)")
  }

  @Test func helpOverlayAndAsciiMode() throws {
    let session = try TmuxSession(Self.run + ["--ascii", "--no-color"])
    session.waitFor("the dashboard") { $0.contains("RUNNING") }
    try session.send("?")
    // The whole overlay, not its title row alone: tmux can be caught halfway through a frame.
    let help = session.waitFor("the help") { $0.contains("Keys") && $0.contains("learning rate up") }
    #expect(help.contains("learning rate up"))
    #expect(help.unicodeScalars.allSatisfy { $0.isASCII })
    try session.send("q")
    try session.send("q")
    session.waitFor("exit") { $0.contains("exit=0") }
  }
}

extension DashboardEndToEndTests {
  /// A lesson opens on its card and waits at step 0: dead units die within five steps, before
  /// anyone could read what to watch for. Space closes the card and starts the lesson; `i`
  /// brings the card back.
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: Repository.datasets + "/mnist/t10k-images-idx3-ubyte.gz")))
  func aLessonWaitsBehindItsCardUntilSpace() throws {
    let session = try TmuxSession([
      "train", "mnist", "--scenario", "dead-relu", "--train-size", "1000", "--no-log", "--data",
      Repository.datasets,
    ])
    let card = session.waitFor("the lesson's card") {
      $0.contains("Lesson: dead-relu") && $0.contains("space starts the lesson") && $0.contains("PAUSED")
    }
    #expect(card.contains("watch for  learning rate 0.5"))
    keepsHolding("step 0 while the card is up", for: .milliseconds(600), poll: .milliseconds(100)) {
      stepShown(session.screen()) == 0
    }
    try session.send("Space")
    let running = session.waitFor("the lesson running") { $0.contains("RUNNING") && (stepShown($0) ?? 0) > 0 }
    #expect(!running.contains("Lesson: dead-relu"))
    try session.send("i")
    let again = session.waitFor("the card again") { $0.contains("Lesson: dead-relu") }
    #expect(again.contains("i shows this card again"))
    #expect(!again.contains("space starts the lesson"))
    try session.send("q")
    let end = session.waitFor("exit") { $0.contains("exit=") && $0.contains("icanon") }
    #expect(end.contains("exit=0"))
  }
}
