import RunModel
import Terminal
import Testing

@testable import Dashboard

@Suite struct RenderTests {
  @Test func fullFrameAt80x24HasEveryPanel() {
    let frame = controller().render(width: 80, height: 24, now: 0)
    let text = frame.lines.joined(separator: "\n")
    for title in ["Loss", "Accuracy", "Activations", "Gradients", "Diagnosis", "Hyperparameters"] {
      #expect(text.contains(" \(title) "), "missing \(title)")
    }
    #expect(frame.lines[0].hasPrefix(" nntop  mnist · 784-256-128-10 relu · sgd · batch 128"))
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
    let (vx, vy) = frame.find("━ val") ?? (0, 0)
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

  @Test func regressionHasNoAccuracyChart() {
    var events = RunFixture.events(epochs: 1)
    events[0] = .started(RunFixture.header(loss: .squaredError))
    let frame = controller(events: events).render(width: 100, height: 30, now: 0)
    #expect(frame.find("regression: no accuracy") != nil)
  }
}

extension String {
  func trimmingCharacters(in _: CharacterSetLike) -> String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }

  func components(separatedBy separator: String) -> [String] {
    var parts: [String] = []
    var rest = Substring(self)
    while let range = rest.range(of: separator) {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}

enum CharacterSetLike { case whitespaces }

@Suite struct HealthTests {
  @Test func rulesOfThumb() {
    #expect(
      HealthRules.spread(1e-4) == .bad && HealthRules.spread(5e-3) == .warning
        && HealthRules.spread(0.5) == .good)
    #expect(
      HealthRules.inactive(0.6) == .bad && HealthRules.inactive(0.3) == .warning
        && HealthRules.inactive(0.1) == .good)
    #expect(
      HealthRules.gradient(1e-7) == .bad && HealthRules.gradient(1e-5) == .warning
        && HealthRules.gradient(0.3) == .good)
    #expect(HealthRules.gradient(50) == .warning && HealthRules.gradient(.infinity) == .bad)
    #expect(
      HealthRules.update(1e-3) == .good && HealthRules.update(5e-2) == .warning
        && HealthRules.update(1e-6) == .bad)
  }

  @Test func healthTableAppearsOnWideScreensColouredByTheRules() throws {
    var events = RunFixture.events()
    events.append(
      .layerStatistics(
        LayerSnapshot(
          step: 1300, epoch: 3.1,
          layers: [
            RunFixture.layer("hidden1", units: 256, gradient: 1e-7, dead: 0.6),
            RunFixture.layer("hidden2", units: 128),
            RunFixture.layer("output", units: 10, dead: 0),
          ])))
    let frame = controller(events: events).render(width: 140, height: 40, now: 0)
    let (_, top) = try #require(frame.find(" Layer health "))
    let row = top + 2  // header row, then hidden1
    let line = frame.line(row)
    #expect(line.contains("hidden1"))
    func column(_ text: String) -> Int? {
      let scalars = Array(line.unicodeScalars)
      let needle = Array(text.unicodeScalars)
      return (0...(scalars.count - needle.count)).first { Array(scalars[$0..<($0 + needle.count)]) == needle }
    }
    let dead = try #require(column("60%"))
    #expect(frame[dead, row].foreground == Theme.builtIn.color(.bad))
    let gradient = try #require(column("1e-07"))
    #expect(frame[gradient, row].foreground == Theme.builtIn.color(.bad))
    let healthy = try #require(column("0.001"))  // upd/w 1e-3
    #expect(frame[healthy, row].foreground == Theme.builtIn.color(.good))
    // Narrower screens keep it behind its zoom key.
    #expect(controller(events: events).render(width: 120, height: 40, now: 0).find(" Layer health ") == nil)
    let zoomed = controller(events: events)
    _ = zoomed.handle(.character("5"))
    #expect(zoomed.render(width: 100, height: 30, now: 0).find(" Layer health ") != nil)
  }
}

@Suite struct ValidationPanelTests {
  func withDetail() -> DashboardController {
    var events = RunFixture.events(epochs: 1)
    events.append(
      .validationDetail(
        ValidationDetail(
          step: 430, epoch: 1, classes: 3, confusion: [50, 2, 0, 9, 40, 1, 0, 0, 30],
          mistakes: [
            ValidationDetail.Mistake(label: 1, predicted: 0, pixels: [0, 255, 255, 0, 0, 255, 0, 0])
          ],
          imageRows: 4, imageCols: 2)))
    return controller(events: events)
  }

  @Test func confusionMatrixRowsColumnsAndColours() throws {
    let c = withDetail()
    _ = c.handle(.character("6"))
    let frame = c.render(width: 100, height: 30, now: 0)
    let lines = frame.lines
    let top = try #require(lines.firstIndex { $0.hasPrefix("│true") })
    #expect(lines[top].contains("    0    1    2  recall"))
    #expect(lines[top + 2].hasPrefix("│ 1       9   40    1  80.00%"))
    // Diagonal good, the row's worst confusion bad.
    let row = top + 2
    let scalars = Array(frame.line(row).unicodeScalars)
    let nine = scalars.firstIndex(of: "9")!
    #expect(frame[nine, row].foreground == Theme.builtIn.color(.bad))
    let forty = scalars.firstIndex(of: "4")!
    #expect(frame[forty, row].foreground == Theme.builtIn.color(.good))
  }

  @Test func galleryDrawsDigitsInGreyHalfBlocksOrASCII() throws {
    let c = withDetail()
    _ = c.handle(.character("7"))
    let frame = c.render(width: 100, height: 30, now: 0)
    // Pixels (0,255 / 255,0) → first cell: top black, bottom white.
    #expect(frame[1, 3].character == "▀")
    #expect(frame[1, 3].foreground == .rgb(0, 0, 0) && frame[1, 3].background == .rgb(255, 255, 255))
    #expect(frame.find("1 → 0") != nil)
    let ascii = withDetail()
    ascii.view.glyphs = .ascii
    _ = ascii.handle(.character("7"))
    let text = ascii.render(width: 100, height: 30, now: 0)
    #expect(text[1, 3].character == "@" && text[1, 4].character == " ")
  }
}

@Suite struct DecisionRegionTests {
  func withGrid(theme: Theme = .builtIn) -> DashboardController {
    var events = RunFixture.events(epochs: 1)
    // A 2×2 grid over [0, 1]²: class 0 on the left, class 1 on the right; one point of each.
    events.append(
      .decisionRegions(
        DecisionGrid(
          step: 430, epoch: 1, columns: 2, rows: 2, xRange: 0...1, yRange: 0...1, classes: 2,
          predictions: [0, 1, 0, 1],
          confidence: [9, 9, 5, 5],
          points: [
            DecisionGrid.Point(x: 0.1, y: 0.9, label: 0, validation: false),
            DecisionGrid.Point(x: 0.9, y: 0.1, label: 1, validation: true),
          ])))
    let c = controller(events: events, theme: theme)
    _ = c.handle(.character("8"))
    return c
  }

  @Test func regionsAreShadedByClassAndPointsDrawnOnTop() throws {
    let frame = withGrid().render(width: 82, height: 26, now: 0)
    let (_, top) = try #require(frame.find(" Decision regions (epoch 1) "))
    let inner = (x: 1, y: top + 1)
    let series = Theme.builtIn.seriesColors
    // Top-left region: class 0, certain → 60 % of series 1's colour; top-right: class 1.
    guard case .rgb(let r0, _, _) = series[0], case .rgb(let r1, _, _) = series[1] else { return }
    #expect(
      frame[inner.x + 5, inner.y + 2].background
        == .rgb(
          UInt8(Double(r0) * 0.6), frame[inner.x + 5, inner.y + 2].background.green,
          frame[inner.x + 5, inner.y + 2].background.blue))
    #expect(frame[inner.x + 70, inner.y + 2].background.red == UInt8(Double(r1) * 0.6))
    // The bottom row is a coin toss (confidence 5/9): darker.
    #expect(frame[inner.x + 5, inner.y + 20].background.red < frame[inner.x + 5, inner.y + 2].background.red)
    #expect(frame.find("●") != nil && frame.find("○") != nil)
  }

  @Test func withoutColourRegionsAreCharactersAndPointsDigits() throws {
    let frame = withGrid(theme: .plain).render(width: 82, height: 26, now: 0)
    let text = frame.lines.joined(separator: "\n")
    #expect(text.contains("....") && text.contains("----"))
    #expect(frame.find("0") != nil && frame.find("1") != nil)
  }
}

extension Color {
  var red: UInt8 { if case .rgb(let r, _, _) = self { return r } else { return 0 } }
  var green: UInt8 { if case .rgb(_, let g, _) = self { return g } else { return 0 } }
  var blue: UInt8 { if case .rgb(_, _, let b) = self { return b } else { return 0 } }
}

@Suite struct TrajectoryPanelTests {
  @Test func pathAndExplainedVarianceAreShown() {
    var events = RunFixture.events(epochs: 1)
    events.append(
      .trajectory(
        Trajectory(
          step: 430, epoch: 1, points: [(-1, 0), (0, 0.5), (1, 0)], steps: [1, 200, 400],
          explained: [0.8, 0.15])))
    let c = controller(events: events)
    _ = c.handle(.character("9"))
    let frame = c.render(width: 100, height: 30, now: 0)
    #expect(frame.find("PC1 80.00% · PC2 15.00% of the variance") != nil)
    #expect(frame.find("path from step 1 to 400") != nil)
    #expect(frame.cells.contains { $0.character.value >= 0x2801 && $0.character.value <= 0x28FF })
  }

  @Test func helpFitsTheMinimumTerminal() {
    let c = controller()
    _ = c.handle(.character("?"))
    let text = c.render(width: 80, height: 24, now: 0).lines.joined(separator: "\n")
    for binding in KeyMap.bindings {
      #expect(text.contains(binding.help), "80×24 help lacks \(binding.help)")
    }
  }
}

@Suite struct RobustRenderTests {
  /// Any terminal size, any zoom, with and without help, in both glyph sets: a frame of exactly
  /// that size, and no trap.
  @Test func everySizeAndPanelRenders() {
    var events = RunFixture.events()
    events.append(
      .validationDetail(
        ValidationDetail(
          step: 1290, epoch: 3, classes: 2, confusion: [3, 1, 0, 4],
          mistakes: [ValidationDetail.Mistake(label: 0, predicted: 1, pixels: [9, 200, 30, 40])],
          imageRows: 2,
          imageCols: 2)))
    events.append(
      .decisionRegions(
        DecisionGrid(
          step: 1290, epoch: 3, columns: 2, rows: 1, xRange: 0...1, yRange: 0...1, classes: 2,
          predictions: [0, 1],
          confidence: [9, 3], points: [DecisionGrid.Point(x: 0.5, y: 0.5, label: 1, validation: false)])))
    events.append(
      .trajectory(
        Trajectory(
          step: 1290, epoch: 3, points: [(0, 0), (1, 1), (2, 0)], steps: [1, 2, 3], explained: [0.7, 0.2])))
    for glyphs in [Glyphs.unicode, .ascii] {
      let c = controller(events: events, glyphs: glyphs)
      for zoom in [nil] + Panel.allCases.map(Optional.some) {
        c.view.zoom = zoom
        for help in [false, true] {
          c.view.helpVisible = help
          for (w, h) in [(0, 0), (1, 1), (2, 5), (20, 3), (79, 24), (80, 24), (81, 25), (133, 30), (200, 61)]
          {
            let frame = c.render(width: w, height: h, now: 0)
            #expect(frame.width == w && frame.height == h)
          }
        }
      }
    }
  }
}
