import ArgumentParser
import Foundation
import NeuralNet
import RunModel
import SystemIO
import Training

// The command line's value types. Each parses itself, so a bad value is a usage error (64) that
// lists the valid ones, `--help` lists them too, and `run()` never unwraps a string again.

extension Activation: ExpressibleByArgument {}
extension Initialization: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}

extension LearningRateSchedule: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public var defaultValueDescription: String { specification }
}

extension Scenario: ExpressibleByArgument {
  public init?(argument: String) {
    guard let scenario = Scenario.named(argument) else { return nil }
    self = scenario
  }
  public static var allValueStrings: [String] { all.map(\.name) }
}

extension DatasetChoice: ExpressibleByArgument {
  init?(argument: String) { self.init(name: argument) }
  static var allValueStrings: [String] { names }
}

extension Knob {
  /// A flag that sets a knob's starting value accepts what the keys could set: the knob's range.
  /// `flag` names an alias (`--wd`) when the value came from one.
  func check(_ value: Double, flag: String? = nil) throws {
    let flag = flag ?? self.flag
    guard range.contains(value) else {
      throw ValidationError("\(flag) must be in \(rangeText), got \(value)")
    }
  }

  /// "[0, 0.95]", for messages and help.
  var rangeText: String { "[\(plain(range.lowerBound)), \(plain(range.upperBound))]" }
}

/// A bound as people write it: "0" and "10", not "0.0" and "10.0".
private func plain(_ value: Double) -> String {
  value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

/// Parses "256,128" into widths ("" and "none": no hidden layer), or explains what is wrong.
func parseHidden(_ text: String) throws -> [Int] {
  if text.trimmingCharacters(in: .whitespaces).isEmpty || text == "none" { return [] }
  var widths: [Int] = []
  for part in text.split(separator: ",", omittingEmptySubsequences: false) {
    guard let width = Int(part.trimmingCharacters(in: .whitespaces)), NetworkSpec.widthRange.contains(width)
    else {
      throw ValidationError("'\(part)' is not a layer width (a whole number from 1 to 65536)")
    }
    widths.append(width)
  }
  guard widths.count <= NetworkSpec.maximumHiddenLayers else {
    throw ValidationError("\(widths.count) hidden layers: at most \(NetworkSpec.maximumHiddenLayers)")
  }
  return widths
}

/// `--threads`, as many as the machine has: more would only be recorded as if they had run
/// (a log saying 64 threads on 2 cores), so the value is lowered with a warning.
func usableThreads(_ threads: Int) -> Int {
  let cores = Parallel.cores
  guard threads > cores else { return threads }
  printWarning("--threads \(threads): this machine has \(cores.counted("core")); using \(cores)")
  return cores
}
