import RunModel
import Testing

@Suite struct CommandScriptTests {
  @Test func readsStepsCommandsAndComments() throws {
    let script = try CommandScript(
      parsing: """
        # slow lesson: raise the rate after two epochs
        860 lr 0.01
        860 pause   # explain
        860 resume
        \t1290 train_size 5000
        2000 stop

        """)
    #expect(
      script.entries.map(\.command) == [
        .set(.learningRate, 0.01), .pause, .resume, .set(.trainSize, 5000), .stop,
      ])
    #expect(script.entries.map(\.step) == [860, 860, 860, 1290, 2000])
    #expect(script.entries.allSatisfy { $0.source == .script })
  }

  @Test func takesOnlyWhatIsDue() {
    var script = CommandScript([
      .init(step: 5, command: .stop), .init(step: 2, command: .pause), .init(step: 2, command: .resume),
    ])
    #expect(script.take(dueAt: 1).isEmpty)
    #expect(script.take(dueAt: 3).map(\.command) == [.pause, .resume])
    #expect(script.take(dueAt: 4).isEmpty)
    #expect(script.take(dueAt: 9).map(\.command) == [.stop])
    #expect(script.isEmpty)
  }

  @Test(arguments: [
    ("x lr 0.1", "line 1: 'x' is not a step number (0 … 1e9)"),
    ("-1 pause", "line 1: '-1' is not a step number (0 … 1e9)"),
    ("\n12", "line 2: a command is missing after the step"),
    ("3 lr", "line 1: lr needs one number"),
    ("3 lr nan", "line 1: lr needs one number"),
    ("3 dropout 2", "line 1: dropout 2 is outside 0.0 … 0.95"),
    ("3 pause now", "line 1: pause takes no value"),
    (
      "3 jump",
      "line 1: unknown command 'jump' (lr, momentum, dropout, l2, train_size, pause, resume, step, stop, checkpoint, lr_find)"
    ),
  ])
  func refusesBadLinesNamingThem(text: String, message: String) {
    #expect(throws: ScriptError.self) { try CommandScript(parsing: text) }
    do {
      _ = try CommandScript(parsing: text)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test func changeSourcesKeepTheirLogText() {
    for text in ["key l", "key space", "schedule", "signal", "script", "command", "something else"] {
      #expect(ChangeSource(text).description == text)
    }
    #expect(ChangeSource("key L") == .key("L"))
    #expect(ChangeSource("script") == .script)
  }

  @Test func checkpointReasonsKeepTheirLogText() {
    for text in ["every 1 epoch", "every 3 epochs", "requested", "end", "every 1 epochs", "other"] {
      #expect(CheckpointReason(text).description == text)
    }
    #expect(CheckpointReason("every 3 epochs") == .periodic(epochs: 3))
    #expect(CheckpointReason("every 1 epochs") == .other("every 1 epochs"))
  }
}
