import EventFiles
import Foundation
import RunLog
import RunModel
import Viewer

/// An nntop run log in `view`, read on as its writer appends to it, as event files are: a run
/// log had been read once, so a run still training stood still on the charts and `--follow`
/// printed it once.
final class FollowedRunLog {
  let name: String
  let path: String
  private let follower: RunLogFollower?
  private let forkCheck: ForkPoint.Check?
  /// A run without progress records (the client's `every=` longer than an epoch) has its rate
  /// only in its epoch records (`RunSummaries.events`).
  private var epochsCarryRate: Bool
  private var start: Double
  private(set) var data = RunData()
  private var epochEnds: [(epoch: Int, step: Int)] = []
  private var checkpoints: [CheckpointRecord] = []

  /// `contents`: the log as `RunLogSetup.load` read and checked it; the records themselves are
  /// taken from the follower, which goes on from where it stopped.
  init(name: String, path: String, contents: RunLogContents) {
    self.name = name
    self.path = path
    forkCheck = contents.header.map {
      Fork.check(log: path, dataset: $0.dataset, original: contents.context?.command ?? [])
    }
    epochsCarryRate = !contents.records.contains { if case .progress = $0.event { true } else { false } }
    start = contents.context.flatMap { RunSummaries.startTime($0.created) } ?? 0
    follower = try? RunLogFollower(path: path)
    if follower == nil {
      // Gone between the two reads: what was read stands.
      add(contents.records)
    } else {
      poll()
    }
  }

  /// Takes in what was appended; whether anything was.
  @discardableResult
  func poll() -> Bool {
    guard let follower else { return false }
    let records = follower.poll()
    add(records)
    return !records.isEmpty
  }

  private func add(_ records: [TimedEvent]) {
    for record in records {
      switch record.event {
      case .progress: epochsCarryRate = false
      case .epochEnded(let e): epochEnds.append((e.epoch, e.step))
      case .checkpoint(let c): checkpoints.append(c)
      default: break
      }
      if let event = RunSummaries.event(of: record, start: start, epochsCarryRate: epochsCarryRate) {
        data.add(event)
      }
    }
  }

  var viewed: ViewedRun {
    ViewedRun(
      name: name, data: data,
      origin: RunLogOrigin(path: path, epochEnds: epochEnds, checkpoints: checkpoints, forkCheck: forkCheck))
  }
}
