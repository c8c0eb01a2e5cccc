import RunModel
import Training

/// A lesson's settings on top of the command line's, and the lesson's text where a headless run
/// shows it.
extension TrainCommand {
  /// A scenario's settings, except those given explicitly on the command line.
  func apply(_ lesson: Scenario, to configuration: inout TrainingConfiguration) {
    if hidden == nil { configuration.network.hiddenSizes = lesson.hidden }
    let activation = activation ?? lesson.activation
    configuration.network.activation = activation
    configuration.network.initialization =
      `init` ?? (self.activation == nil ? lesson.initialization : nil) ?? .suited(to: activation)
    if lr == nil { configuration.hyperparameters.learningRate = lesson.learningRate }
    if momentum == nil { configuration.hyperparameters.momentum = lesson.momentum }
    if l2 == nil { configuration.hyperparameters.l2 = lesson.l2 }
    if epochs == nil { configuration.epochs = lesson.epochs }
    if statsEvery == nil, let every = lesson.statisticsEvery { configuration.statisticsEvery = every }
    if pacing.pace == nil, display.wantsDashboard { configuration.pace = lesson.pace }
    configuration.lesson = lesson.name
  }

  /// The lesson's text where a headless run shows it, with what this run changed of it.
  func announce(_ lesson: Scenario, _ configuration: TrainingConfiguration, trainAvailable: Int) {
    printError("nntop: scenario \(lesson.name): watch for \(lesson.watchFor); fix: \(lesson.fix)")
    if let note = lesson.differenceNote(
      network: configuration.network, optimizer: configuration.optimizer,
      start: configuration.hyperparameters,
      epochs: configuration.epochs, trainCount: configuration.trainSize ?? trainAvailable)
    {
      printError("nntop: \(note)")
    }
  }
}
