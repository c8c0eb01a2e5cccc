import Dashboard
import Diagnosis
import NeuralNet
import RunModel
import Terminal
import TestSupport
import Testing

/// The lesson's card: it opens by itself when a lesson's run starts, shows the lesson table's own
/// texts whole at every size, and space both closes it and starts the lesson.
@Suite struct LessonCardTests {
  /// A lesson's run as `--scenario NAME` starts it (the fixture's run for a name not in the table).
  static func header(for name: String) -> RunHeader {
    guard let lesson = Scenario.named(name) else {
      var header = RunFixture.header()
      header.lesson = name
      return header
    }
    var header = RunFixture.header(epochs: lesson.epochs)
    header.network = NetworkSpec(
      inputSize: 784, hiddenSizes: lesson.hidden, outputSize: 10, activation: lesson.activation,
      initialization: lesson.initialization)
    header.hyperparameters = Hyperparameters(
      learningRate: lesson.learningRate, momentum: lesson.momentum, l2: lesson.l2)
    if let size = lesson.trainSize { header.trainCount = size }
    header.lesson = name
    return header
  }

  static func lessonController(
    _ name: String = "dead-relu", paused: Bool = true, header: RunHeader? = nil
  ) -> DashboardController {
    let header = header ?? Self.header(for: name)
    var events: [RunEvent] = [.started(header)]
    if paused { events.append(.paused(step: 0)) }
    return controller(events: events)
  }

  /// The card's rows, each with its border and padding stripped.
  static func text(_ frame: Buffer) -> String {
    frame.lines.map { $0.replacingOccurrences(of: "│", with: " ") }.joined(separator: "\n")
  }

  @Test(arguments: [(80, 24), (100, 30), (200, 60)])
  func theCardShowsTheLessonsWordsWhole(size: (Int, Int)) throws {
    for lesson in Scenario.all { try cardShowsItsWordsWhole(lesson, size: size) }
  }

  func cardShowsItsWordsWhole(_ lesson: Scenario, size: (Int, Int)) throws {
    let c = Self.lessonController(lesson.name)
    #expect(c.view.lessonVisible)
    let frame = c.render(width: size.0, height: size.1, now: 0)
    #expect(frame.find("Lesson: \(lesson.name)") != nil)
    #expect(frame.find("differs") == nil, "\(lesson.name): its own run is the lesson's")
    #expect(frame.find("space starts the lesson") != nil)
    // Every word of both texts is on screen (wrapped between words, never cut).
    let screen = Self.text(frame)
    for word in (lesson.watchFor + " " + lesson.fix).split(separator: " ") {
      #expect(screen.contains(String(word)), "\(lesson.name) at \(size): '\(word)' missing")
    }
  }

  /// `--scenario vanishing --init xavier`: the card's "naive init" is not this run's.
  @Test func aRunThatOverridesTheLessonSaysHowItDiffers() {
    var header = Self.header(for: "vanishing")
    header.network.initialization = .xavier
    header.hyperparameters.learningRate = 0.1
    for (width, height) in [(80, 24), (200, 60)] {
      let frame = Self.lessonController("vanishing", header: header).render(
        width: width, height: height, now: 0)
      let screen = Self.text(frame).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: " ")
      #expect(screen.contains("this run differs from the lesson: init xavier, lr 0.1"), "\(width)×\(height)")
      #expect(frame.find("space starts the lesson") != nil)
    }
  }

  @Test func spaceClosesTheCardAndStartsTheLesson() {
    let c = Self.lessonController()
    let commands = c.handle(.character(" "))
    #expect(commands.map(\.0) == [.resume])
    #expect(!c.view.lessonVisible)
    // The trainer's answer: a lesson started from its card was never "resumed at step 0".
    c.apply(.resumed(step: 0), now: 1)
    #expect(c.state.message == "started")
    c.apply(.resumed(step: 12), now: 2)
    #expect(c.state.message == "resumed at step 12")
  }

  /// `?` on the card shows the help in its place (it had only closed the card); the reading of a
  /// lesson waiting at step 0 is to resume, not "keep training".
  @Test func helpReplacesTheCardAndTheWaitingLessonReadsResume() {
    let c = Self.lessonController()
    #expect(c.handle(.character("?")).isEmpty)
    #expect(!c.view.lessonVisible && c.view.helpVisible)
    #expect(Diagnosis.top(for: c.state.history).action == .resume)
  }

  @Test func anyOtherKeyOnlyClosesItAndIBringsItBack() {
    let c = Self.lessonController()
    #expect(c.handle(.character("L")).isEmpty)
    #expect(!c.view.lessonVisible)
    #expect(c.state.value(of: .learningRate) == 0.5)
    _ = c.handle(.character("i"))
    #expect(c.view.lessonVisible)
    _ = c.handle(.character("x"))
    #expect(!c.view.lessonVisible)
  }

  @Test func onceRunningTheCardSaysHowToSeeItAgain() {
    let c = Self.lessonController(paused: false)
    let frame = c.render(width: 80, height: 24, now: 0)
    #expect(frame.find("i shows this card again") != nil)
    #expect(frame.find("space starts the lesson") == nil)
    // Space on a card brought back mid-run closes it and leaves the run as it was.
    #expect(c.handle(.character(" ")).isEmpty)
    #expect(!c.view.lessonVisible)
    _ = c.handle(.character("i"))
    #expect(c.handle(.character(" ")).isEmpty)
    #expect(!c.view.lessonVisible)
    // With the card closed, space pauses as usual.
    #expect(c.handle(.character(" ")).map(\.0) == [.pause])
  }

  @Test func aNameNotInTheTableShowsNoCard() {
    let c = Self.lessonController("\u{1b}[2Jnope")
    #expect(!c.view.lessonVisible)
    _ = c.handle(.character("i"))
    #expect(!c.view.lessonVisible)
    #expect(c.state.message.hasPrefix("not a lesson"))
    let plain = controller()
    _ = plain.handle(.character("i"))
    #expect(!plain.view.lessonVisible)
  }
}
