import Dashboard
import RunModel
import Terminal
import TestSupport
import Testing

@Suite struct RenderTests {
  @Test func fullFrameAt80x24HasEveryPanel() {
    let frame = controller().render(width: 80, height: 24, now: 0)
    let text = frame.lines.joined(separator: "\n")
    for title in ["Loss", "Accuracy", "Activations", "Gradients", "Diagnosis", "Hyperparameters"] {
      #expect(text.contains(" \(title) "), "missing \(title)")
    }
    // The batch size gives way to the train count, whole: never "55000 t".
    #expect(frame.lines[0].hasPrefix(" nntop  mnist · 784-256-128-10 relu · sgd · 55000 train "))
    #expect(frame.lines[0].hasSuffix(" RUNNING"))
    #expect(frame.lines[1].contains("epoch 3/10") || frame.lines[1].contains("epoch 4/10"))
    #expect(frame.lines[1].contains("step 1290/4300"))
    #expect(frame.lines[23].hasSuffix("? help  q quit"))
    #expect(text.contains("learning rate 0.05"))
    #expect(text.contains("hidden1 dead 10%"))
    #expect(text.contains("STILL IMPROVING → keep training"))
  }

  @Test func tooSmallSaysSoWithTheSizes() {
    let frame = controller().render(width: 60, height: 15, now: 0)
    let lines = frame.lines.map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(lines.contains("terminal too small"))
    #expect(lines.contains("need 80×24, have 60×15"))
    #expect(lines.contains("training continues: step 1290"))
    // A replay or a watch trains nothing here.
    for (feed, said) in [(ViewOptions.Feed.replay, "the replay continues"), (.watch, "still watching")] {
      let other = controller(feed: feed).render(width: 60, height: 15, now: 0).lines
        .map { $0.trimmingCharacters(in: .whitespaces) }
      #expect(other.contains("\(said): step 1290") && !other.contains { $0.contains("training") }, "\(other)")
    }
    #expect(controller().render(width: 79, height: 30, now: 0).find("terminal too small") != nil)
    #expect(controller().render(width: 80, height: 24, now: 0).find("terminal too small") == nil)
  }

  @Test func asciiModeDrawsOnlyASCII() {
    let frame = controller(glyphs: .ascii).render(width: 100, height: 30, now: 0)
    #expect(frame.cells.allSatisfy { $0.character.isASCII })
    #expect(frame.lines[2].hasPrefix("+ Loss ---"))
    #expect(frame.find("*") != nil)  // chart points
  }

  @Test func plainThemeUsesNoColour() {
    let frame = controller(theme: .plain).render(width: 100, height: 30, now: 0)
    #expect(frame.cells.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
    // State still shows, through attributes.
    let (x, y) = frame.find("RUNNING") ?? (0, 0)
    #expect(frame[x, y].style.contains(.reverse))
  }

  @Test func colouredThemeColoursTheSeries() {
    let frame = controller().render(width: 120, height: 40, now: 0)
    let (x, y) = frame.find("━ train") ?? (0, 0)
    #expect(frame[x, y].foreground == Theme.builtIn.color(.train))
    let (vx, vy) = frame.find("┅ val") ?? (0, 0)
    #expect(frame[vx, vy].foreground == Theme.builtIn.color(.validation))
  }

  @Test func markersAppearOnTheChartsAfterAChange() {
    var events = RunFixture.events()
    events.append(
      .hyperparameterChanged(
        HyperparameterChange(
          step: 1290, epoch: 3, knob: .learningRate, oldValue: 0.05, newValue: 0.1, source: .key("L"))))
    let c = controller(events: events)
    #expect(c.state.markers.map(\.label) == ["lr↑0.1"])
    #expect(c.state.message == "lr 0.05 → 0.1 at step 1290")
    let frame = c.render(width: 120, height: 40, now: 0)
    // Once on the loss chart and once on the accuracy chart.
    let rows = frame.lines.filter { $0.contains("lr↑0.1") }
    #expect(rows.count == 1)
    #expect(rows[0].components(separatedBy: "lr↑0.1").count == 3)
  }

  @Test func helpListsEveryBinding() {
    let c = controller()
    _ = c.handle(.character("?"))
    let text = c.render(width: 120, height: 40, now: 0).lines.joined(separator: "\n")
    for binding in KeyMap.bindings { #expect(text.contains(binding.help), "help lacks \(binding.help)") }
    let small = c.render(width: 80, height: 24, now: 0).lines.joined(separator: "\n")
    #expect(small.contains(" Keys "))
  }

  @Test func zoomShowsOnePanel() {
    let c = controller()
    _ = c.handle(.character("4"))
    let text = c.render(width: 100, height: 30, now: 0).lines.joined(separator: "\n")
    #expect(text.contains(" Gradients "))
    #expect(!text.contains(" Loss "))
    #expect(text.contains("hidden1"))
  }

  @Test func divergenceShowsOnScreen() {
    var events = RunFixture.events(epochs: 1)
    events.append(.diverged(Divergence(step: 500, epoch: 1.2, reason: "loss is nan", layer: nil)))
    events.append(.paused(step: 500))
    let c = controller(events: events)
    #expect(c.state.runState == .diverged)
    let frame = c.render(width: 100, height: 30, now: 0)
    #expect(frame.lines[0].hasSuffix(" DIVERGED"))
    #expect(frame.lines[29].contains("diverged at step 500: loss is nan"))
    #expect(frame.find("DIVERGING") != nil)
  }

  @Test func regressionShowsItsLearnedCurveInsteadOfAccuracy() {
    var events = RunFixture.events(epochs: 1)
    events[0] = .started(RunFixture.header(loss: .squaredError))
    let frame = controller(events: events).render(width: 100, height: 30, now: 0)
    #expect(frame.find("Learned curve") != nil)
    #expect(frame.find("Accuracy") == nil)
  }
}
