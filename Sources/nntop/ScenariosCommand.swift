import ArgumentParser
import RunModel
import Training

/// `nntop scenarios`: the lessons `--scenario` sets up.
struct ScenariosCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scenarios", abstract: "List the lessons `nntop train mnist --scenario NAME` sets up.")

  func run() throws {
    let width = (Scenario.all.map(\.name.count).max() ?? 8) + 2
    for s in Scenario.all {
      printLine(s.name + String(repeating: " ", count: width - s.name.count) + "watch: " + s.watchFor)
      printLine(String(repeating: " ", count: width) + "fix:   " + s.fix)
    }
  }
}
