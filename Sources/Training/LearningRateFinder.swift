import Datasets
import NeuralNet
import RunModel

#if canImport(Glibc)
  import Glibc
#endif

extension Trainer {
  /// Sweeps the learning rate from `start` to `end` exponentially over at most `steps` batches
  /// (fastai's `lr_find`): each batch trains at the next rate and its loss is smoothed
  /// (EMA β = 0.98, bias-corrected); the sweep stops once the smoothed loss passes 4× its best
  /// or the loss is not finite. The weights, batch-norm statistics and optimiser state are put
  /// back exactly afterwards, so the sweep leaves the run as it found it.
  ///
  /// The suggestion is the rate where the smoothed loss falls fastest (see `steepestDescent`):
  /// measured on MNIST, "a tenth of the minimum's rate" lands too low (the 0.98 smoothing lags the
  /// minimum over only ~100 batches), the steepest descent near the recipe's own 0.05.
  public func findLearningRate(steps: Int = 100, from start: Double = 1e-7, to end: Double = 10)
    -> LearningRateSweep
  {
    let saved = (
      parameters: network.parameters.array, running: network.runningStats.array,
      first: learner.optimizer.firstMoment.array, second: learner.optimizer.secondMoment.array,
      steps: learner.optimizer.stepCount
    )
    defer {
      network.parameters.base.update(from: saved.parameters, count: saved.parameters.count)
      network.runningStats.base.update(from: saved.running, count: saved.running.count)
      learner.optimizer.firstMoment.base.update(from: saved.first, count: saved.first.count)
      learner.optimizer.secondMoment.base.update(from: saved.second, count: saved.second.count)
      learner.optimizer.restore(stepCount: saved.steps)
    }
    var sweepOrder = order
    var shuffler = SeededGenerator(seed: configuration.seed &+ 0x1F_1D_E5)
    sweepOrder.shuffle(using: &shuffler)
    let count = max(2, steps)
    var sweep = LearningRateSweep(
      rates: [], losses: [], smoothed: [], stop: "the last rate was reached", suggestion: nil)
    var average = 0.0
    var best = Double.infinity
    for i in 0..<count {
      let rate = start * pow(end / start, Double(i) / Double(count - 1))
      let settings = UpdateSettings(
        learningRate: Float(rate), momentum: Float(hyper.momentum), weightDecay: Float(hyper.l2))
      let result = learner.step(
        batch: i % sweepOrder.batchCount, of: sweepOrder, from: train, settings: settings,
        dropout: Float(hyper.dropout))
      let loss = result.lossSum / Double(max(result.rows, 1))
      guard result.status == .applied, loss.isFinite else {
        sweep.stop = "the loss is not finite"
        break
      }
      average = 0.98 * average + 0.02 * loss
      let smoothed = average / (1 - pow(0.98, Double(i + 1)))
      sweep.rates.append(rate)
      sweep.losses.append(loss)
      sweep.smoothed.append(smoothed)
      best = min(best, smoothed)
      if smoothed > 4 * best {
        sweep.stop = "the smoothed loss passed 4× its best"
        break
      }
    }
    sweep.suggestion = Self.steepestDescent(sweep)
    return sweep
  }

  /// The rate where the smoothed loss falls fastest against log(rate), before its minimum
  /// (fastai's `lr_steep`, Lightning's suggestion). The first 10 batches are skipped, as fastai
  /// does: the moving average is still settling there, and on a network that already trains its
  /// noise alone made a "steepest" fall at 1e-7. Nil when nothing falls after them.
  static func steepestDescent(_ sweep: LearningRateSweep) -> Double? {
    let s = sweep.smoothed
    let skip = 10
    guard s.count > skip + 2,
      let lowest = s.indices.dropFirst(skip).min(by: { s[$0] < s[$1] }), lowest > skip + 1
    else { return nil }
    // The slope over ±w batches (about half a decade at 100 batches), so batch noise cannot make
    // a "steepest" fall between two neighbours.
    let w = max(2, s.count / 20)
    var steepest = skip + 1
    var steepestSlope = Double.infinity
    for i in (skip + 1)..<lowest {
      let a = max(skip, i - w)
      let b = min(s.count - 1, i + w)
      let rise: Double = s[b] - s[a]
      let run: Double = log(sweep.rates[b]) - log(sweep.rates[a])
      if rise / run < steepestSlope {
        steepestSlope = rise / run
        steepest = i
      }
    }
    return steepestSlope < 0 ? sweep.rates[steepest] : nil
  }
}
