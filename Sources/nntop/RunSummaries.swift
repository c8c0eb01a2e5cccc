import EventFiles
import Foundation
import RunLog
import RunModel
import Training

/// How an nntop run reads as TensorBoard summaries (tagged as `SummaryTag` says): what
/// `export --tensorboard` writes and `view` lists for a run log.
enum RunSummaries {
  /// The events of a run log as TensorBoard events (wall time: the run's start plus the
  /// record's time), in log order.
  static func events(of contents: RunLogContents) -> [Event] {
    let start = contents.context.flatMap { startTime($0.created) } ?? 0
    // A run without progress records (the client's `every=` longer than an epoch) has its rate
    // only in its epoch records: `lr` comes from them then, and only then (two points a step
    // apart would otherwise draw one rate twice).
    let epochsCarryRate = !contents.records.contains { if case .progress = $0.event { true } else { false } }
    return contents.records.compactMap { event(of: $0, start: start, epochsCarryRate: epochsCarryRate) }
  }

  /// One record as a TensorBoard event, or nil when it carries no summary value; `start`: the
  /// run's start in seconds since 1970.
  static func event(of record: TimedEvent, start: Double, epochsCarryRate: Bool) -> Event? {
    var values = values(of: record.event)
    if epochsCarryRate, case .epochEnded(let e) = record.event {
      values.values.append(TaggedValue(tag: SummaryTag.learningRate, value: .scalar(e.learningRate)))
    }
    guard let step = values.step, !values.values.isEmpty else { return nil }
    return Event(wallTime: start + record.time, step: Int64(step), values: values.values)
  }

  /// The summary values one event carries, and its step.
  static func values(of event: RunEvent) -> (step: Int?, values: [TaggedValue]) {
    func scalar(_ tag: String, _ v: Double?) -> [TaggedValue] {
      v.map { [TaggedValue(tag: tag, value: .scalar($0))] } ?? []
    }
    switch event {
    case .progress(let p):
      return (
        p.step,
        scalar(SummaryTag.trainLoss, p.trainLoss) + scalar(SummaryTag.trainAccuracy, p.trainAccuracy)
          + scalar(SummaryTag.learningRate, p.learningRate)
      )
    case .epochEnded(let e):
      return (
        e.step,
        scalar(SummaryTag.trainEpochLoss, e.trainLoss)
          + scalar(SummaryTag.trainEpochAccuracy, e.trainAccuracy)
          + scalar(SummaryTag.validationLoss, e.validationLoss)
          + scalar(SummaryTag.validationAccuracy, e.validationAccuracy)
          + e.sortedMetrics.flatMap { scalar(SummaryTag.metrics + $0.name, $0.value) }
      )
    case .evaluation(let e) where e.split == .test:
      return (e.step, scalar(SummaryTag.testLoss, e.loss) + scalar(SummaryTag.testAccuracy, e.accuracy))
    case .layerStatistics(let snapshot):
      return (snapshot.step, snapshot.layers.flatMap(layerValues))
    case .hyperparameterChanged(let c):
      // The line the console prints for the change.
      return (c.step, [TaggedValue(tag: SummaryTag.knobs, value: .text(ConsoleFormat.changeLine(c)))])
    case .diverged(let d):
      return (d.step, [TaggedValue(tag: SummaryTag.events, value: .text("diverged: \(d.reason)"))])
    default:
      return (nil, [])
    }
  }

  static func layerValues(_ layer: LayerStatistics) -> [TaggedValue] {
    let bins = layer.histogram.count
    let width = bins > 0 ? (layer.max - layer.min) / Double(bins) : 0
    let buckets = layer.histogram.enumerated().map { i, count in
      HistogramBucket(
        left: layer.min + Double(i) * width,
        right: i == bins - 1 ? layer.max : layer.min + Double(i + 1) * width,
        count: Double(count))
    }
    return [
      TaggedValue(
        tag: SummaryTag.activations + layer.name,
        value: .histogram(
          Histogram(
            buckets: buckets,
            moments: HistogramMoments(
              count: Double(layer.histogram.reduce(0, +)), mean: layer.mean, standardDeviation: layer.std)))),
      TaggedValue(tag: SummaryTag.gradientNorm + layer.name, value: .scalar(layer.gradientNorm)),
      TaggedValue(tag: SummaryTag.updateRatio + layer.name, value: .scalar(layer.updateRatio)),
      TaggedValue(tag: SummaryTag.deadFraction + layer.name, value: .scalar(layer.deadFraction)),
    ]
  }

  /// Seconds since 1970 of a header's `created` (`2026-11-21T09:30:00Z`), or nil.
  static func startTime(_ created: String) -> Double? {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: created)?.timeIntervalSince1970
  }
}
