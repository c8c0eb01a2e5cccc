import RunModel
import Terminal

/// A plain-words reading of the train/validation gap: the bias–variance trade-off, live.
///
/// Rules, applied to the epochs completed so far (loss values are the epoch's mean training loss
/// and its full validation loss; the gap is validation − training):
/// 1. **diverging** — the run diverged, or the latest training loss is not finite or is more than
///    twice the first epoch's.
/// 2. **warming up** — no epoch has finished yet.
/// 3. **overfitting** — the validation loss has not improved for 2 or more epochs while the gap is
///    more than 10 % of the validation loss, or the gap is more than 25 % of it and growing.
/// 4. **underfitting** — the gap is under 10 % of the validation loss and the model is still weak:
///    training accuracy below 90 % (classification), or training loss above half of the first
///    epoch's after 3 epochs (regression).
/// 5. **good fit** — otherwise.
///
/// The trend compares the gap with the gap two epochs earlier (one if only two exist): growing or
/// shrinking when it moved by more than 2 % of the current validation loss, else steady.
public struct FitReading: Sendable, Equatable {
  public enum Label: String, Sendable {
    case warmingUp = "warming up"
    case underfitting
    case goodFit = "good fit"
    case overfitting
    case diverging
  }

  public enum Trend: String, Sendable {
    case growing, shrinking, steady, unknown
  }

  public var label: Label
  public var gap: Double?
  public var trend: Trend
  public var epochsSinceBest: Int?
  /// What to do about it, naming the keys.
  public var advice: String

  public static func assess(epochs: [EpochSummary], diverged: Bool) -> FitReading {
    guard let last = epochs.last else {
      return FitReading(
        label: diverged ? .diverging : .warmingUp, gap: nil, trend: .unknown, epochsSinceBest: nil,
        advice: diverged
          ? "diverging → lower the learning rate (l)" : "warming up: the first epoch is running")
    }
    let first = epochs[0]
    let gap = last.validationLoss - last.trainLoss
    var trend = Trend.unknown
    if epochs.count >= 2 {
      let earlier = epochs[max(0, epochs.count - 3)]
      let change = gap - (earlier.validationLoss - earlier.trainLoss)
      let threshold = 0.02 * abs(last.validationLoss)
      trend = change > threshold ? .growing : (change < -threshold ? .shrinking : .steady)
    }
    let bestIndex = epochs.indices.min { epochs[$0].validationLoss < epochs[$1].validationLoss } ?? 0
    let sinceBest = epochs.count - 1 - bestIndex
    let gapText = NumberFormat.compact(gap)
    let trendText = trend == .unknown ? "" : " and \(trend.rawValue)"
    func reading(_ label: Label, _ advice: String) -> FitReading {
      FitReading(label: label, gap: gap, trend: trend, epochsSinceBest: sinceBest, advice: advice)
    }
    if diverged || !last.trainLoss.isFinite || last.trainLoss > 2 * first.trainLoss {
      return reading(
        .diverging, "diverging: loss \(NumberFormat.compact(last.trainLoss)) → lower the learning rate (l)")
    }
    let relativeGap = gap / max(abs(last.validationLoss), 1e-12)
    if (sinceBest >= 2 && relativeGap > 0.1) || (relativeGap > 0.25 && trend == .growing) {
      return reading(.overfitting, "overfitting: gap \(gapText)\(trendText) → raise L2 (W) or dropout (D)")
    }
    let weak: Bool
    if let accuracy = last.trainAccuracy {
      weak = accuracy < 0.9
    } else {
      weak = epochs.count >= 3 && last.trainLoss > 0.5 * first.trainLoss
    }
    if relativeGap < 0.1 && weak {
      return reading(
        .underfitting,
        "underfitting: both losses high, gap \(gapText) → lower L2 (w) or dropout (d), or a bigger network")
    }
    return reading(.goodFit, "good fit: gap \(gapText)\(trendText)")
  }
}
