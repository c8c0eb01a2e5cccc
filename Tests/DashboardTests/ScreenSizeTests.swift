import Dashboard
import NeuralNet
import RunModel
import Terminal
import TestSupport
import Testing

/// Every supported size, 80×24 to 200×60: what matters is shown whole or left out whole — no
/// number or word cut at a panel's edge, no field silently missing, no layer dropped unannounced.
@Suite struct ScreenSizeTests {
  static let sizes = [(80, 24), (100, 30), (120, 40), (200, 60)]

  /// A paced run of eight tanh layers (the vanishing lesson's shape) three epochs in.
  static func deepRun() -> DashboardController {
    let names = (1...7).map { "hidden\($0)" } + ["output"]
    var header = RunFixture.header()
    header.network = NetworkSpec(
      inputSize: 784, hiddenSizes: Array(repeating: 128, count: 7), outputSize: 10, activation: .tanh)
    var events = RunFixture.events().map { event -> RunEvent in
      switch event {
      case .started: return .started(header)
      case .layerStatistics(let s):
        return .layerStatistics(
          LayerSnapshot(
            step: s.step, epoch: s.epoch,
            layers: names.enumerated().map { i, name in
              var layer = RunFixture.layer(name, units: 128, gradient: 1.5e-5 * Double(i + 1))
              layer.mean = -0.000123 * Double(i + 1)
              layer.std = 0.0123456 / Double(i + 1)
              layer.min = -1.2e-05
              return layer
            }))
      default: return event
      }
    }
    events.append(.warning("ignored"))
    let c = controller(events: events)
    c.view.pace = 5
    return c
  }

  /// The text of the panel whose top border carries `title`, row by row, between its borders.
  static func panel(_ title: String, in frame: Buffer) -> [String] {
    guard let (x, y) = frame.find(" \(title) ") else { return [] }
    let left = x - 1
    var right = left + 1
    while right < frame.width, frame[right, y].character != "┐" { right += 1 }
    var rows: [String] = []
    var row = y + 1
    while row < frame.height, frame[left, row].character == "│" {
      let cells = Array(frame.line(row).unicodeScalars)[(left + 1)..<right]
      rows.append(String(String.UnicodeScalarView(cells)))
      row += 1
    }
    return rows
  }

  @Test func theProgressLineKeepsStepElapsedAndETA() {
    for (width, height) in Self.sizes {
      let line = Self.deepRun().render(width: width, height: height, now: 0).line(1)
      // Held to 5 steps a second, the 3 010 steps left take 10:02.
      // Step 1290 ends epoch 3 (430 steps each): the epoch it belongs to.
      for field in ["epoch 3/10", "step 1290/4300", "elapsed 0:02", "ETA 10:02"] {
        #expect(line.contains(field), "\(width)×\(height): no \(field) in \(line)")
      }
    }
  }

  @Test func theHeaderShowsWholeParts() {
    for (width, height) in Self.sizes {
      let line = Self.deepRun().render(width: width, height: height, now: 0).line(0)
      let text = String(line.unicodeScalars.dropFirst(8).prefix(width - 8 - 12))
      let parts = text.split(separator: "·").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
        !$0.isEmpty
      }
      let whole = ["mnist", "784-128-128-128-128-128-128-128-10 tanh", "sgd", "batch 128", "55000 train"]
      for part in parts { #expect(whole.contains(part), "\(width)×\(height): cut part \(part)") }
      #expect(parts.contains("mnist") && parts.contains("sgd"), "\(width)×\(height): \(line)")
    }
  }

  @Test func activationNumbersAreWholeAndHiddenLayersCounted() {
    let layers = Self.deepRun().state.layers
    for (width, height) in Self.sizes {
      let rows = Self.panel("Activations", in: Self.deepRun().render(width: width, height: height, now: 0))
      var named = 0
      for layer in layers {
        guard let row = rows.first(where: { $0.hasPrefix(layer.name + " ") }) else { continue }
        named += 1
        for word in row.split(separator: " ") where word.hasPrefix("μ") || word.hasPrefix("σ") {
          let value = word.hasPrefix("μ") ? layer.mean : layer.std
          #expect(String(word.dropFirst()) == NumberFormat.compact(value), "\(width)×\(height): \(row)")
        }
      }
      let more = rows.first { $0.hasPrefix("+") }
      if named < layers.count {
        #expect(more?.hasPrefix("+\(layers.count - named) more · 3 shows all") == true, "\(width)×\(height)")
      } else {
        #expect(more == nil)
      }
      // Whatever the size, the spread's labels are whole numbers ("-1.2e-05", not "-1.2e").
      #expect(!rows.joined().contains("-1.2e ") && !rows.joined().contains("1.2e-0 "))
    }
    // 80×24 has five rows for eight layers: the first three, the output, and the count.
    let small = Self.panel("Activations", in: Self.deepRun().render(width: 80, height: 24, now: 0))
    #expect(small.count == 5)
    #expect(small[2].hasPrefix("hidden3 ") && small[3].hasPrefix("output "), "\(small)")
    #expect(small[4].hasPrefix("+4 more · 3 shows all"))
  }

  @Test func theSpreadOverTimeSaysWhatItShows() {
    for (width, height) in Self.sizes {
      let rows = Self.panel("Activations", in: controller().render(width: width, height: height, now: 0))
      let drawn = rows.dropLast().contains { $0.contains("░") }
      let legend = rows.last?.trimmingCharacters(in: .whitespaces) ?? ""
      if drawn {
        #expect(
          legend == "over steps → ░ min–max ▒ middle half █ median"
            || legend == "░ min–max ▒ middle half █ median",
          "\(width)×\(height): \(legend)")
      }
    }
    let rows = Self.panel("Activations", in: controller().render(width: 100, height: 30, now: 0))
    #expect(rows[6] == "over steps → ░ min–max ▒ middle half █ median   ")
    // The spread's limits, whole: 3 at the top of hidden1's two rows, 0 at the bottom.
    #expect(rows[0] == "hidden1 dead 10% μ0.3 σ0.5   3 ░░░░░░░░░░░░     ")
  }

  @Test func healthNumbersAreWholeAndSpacedAndHiddenLayersCounted() {
    let c = Self.deepRun()
    // Beside the diagnosis at 200×60 (six rows): four layers and the count.
    let rows = Self.panel("Layer health", in: c.render(width: 200, height: 60, now: 0))
    #expect(rows[0].hasPrefix("layer   mean     std    sat ‖g‖     upd/w "))
    #expect(rows[1].hasPrefix("hidden1 -1.2e-04 0.0123 0%  1.5e-05 0.001 "))
    #expect(rows[3].hasPrefix("hidden3 "))
    #expect(rows[4].hasPrefix("+4 more · 5 shows all"))
    #expect(rows[5].hasPrefix("output  -9.8e-04 0.0015 -   1.2e-04 0.001 "))
    // Zoomed, every layer, every column, each number whole and a space apart.
    c.view.zoom = .health
    let zoomed = Self.panel("Layer health", in: c.render(width: 80, height: 24, now: 0))
    #expect(zoomed[0].hasPrefix("layer   mean     std    sat ‖g‖     upd/w "))
    #expect(zoomed[2].hasPrefix("hidden2 -2.5e-04 0.0062 0%  3e-05   0.001 "))
    #expect(zoomed[8].hasPrefix("output  -9.8e-04 0.0015 -   1.2e-04 0.001 "))
  }

  @Test func gradientRowsThatDoNotFitAreCounted() {
    let rows = Self.panel("Gradients", in: Self.deepRun().render(width: 80, height: 24, now: 0))
    #expect(rows[0].hasPrefix("layer      ‖g‖"))
    #expect(rows[1].hasPrefix("hidden1    1.5e-05"))
    // The output, which the first layer's ‖g‖ is read against, stays listed below the count.
    #expect(rows[3].hasPrefix("+5 more · 4 shows all"))
    #expect(rows[4].hasPrefix("output     1.2e-04"))
  }

  @Test func aLongStatusMessageWrapsInsteadOfLosingItsEnd() {
    let c = Self.deepRun()
    let message =
      "checkpoint saved: runs/2026-11-29-152530-mnist.epoch0005.safetensors (requested) — rerun it with nntop rerun"
    c.apply(.warning(message), now: 0)
    for (width, height) in Self.sizes {
      let frame = c.render(width: width, height: height, now: 0)
      // The status rows: those under the last panel's bottom border, without the key hint.
      let last = frame.lines.lastIndex { $0.hasPrefix("└") } ?? 0
      let shown = frame.lines[(last + 1)...].map {
        $0.replacing("? help  q quit", with: "").trimmingCharacters(in: .whitespaces)
      }
      #expect(
        shown.joined(separator: " ").hasSuffix("rerun it with nntop rerun"), "\(width)×\(height): \(shown)")
      #expect(shown.joined(separator: " ").hasPrefix("checkpoint saved:"), "\(width)×\(height): \(shown)")
    }
  }

  @Test func diagnosisLinesAreWholeOrAbsent() {
    for (width, height) in Self.sizes {
      let rows = Self.panel("Diagnosis", in: Self.deepRun().render(width: width, height: height, now: 0))
      let text = rows.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(
        separator: " ")
      let epoch = "epoch 3: train loss 0.286 · val loss 0.314 · acc 95.00% / 94.00%"
      #expect(text.contains(epoch) || !text.contains("epoch 3:"), "\(width)×\(height): \(text)")
    }
  }
}
