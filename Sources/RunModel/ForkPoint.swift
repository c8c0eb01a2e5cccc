/// Where "fork from here" trains on from: one rule for the replay's `f` and `view`'s `f`, so the
/// two agree on the checkpoint a position means.
public enum ForkPoint {
  /// Whether training on from a checkpoint can start: nil, or why not, said on the screen before
  /// it is left. The executable supplies it (it knows the datasets nntop trains and its checkpoint
  /// format); a run written by another trainer (a PyTorch loop's `mnist-torch`, its `.pt` files)
  /// would otherwise leave the screen for an error. Asked first with nil (the run itself: a
  /// dataset nntop does not train needs no talk of checkpoints), then with the checkpoint.
  public typealias Check = @Sendable (CheckpointRecord?) -> String?

  /// The last checkpoint written (without a failure) at or before `step`. A periodic checkpoint
  /// is logged just after its epoch's record, where a seek or a cursor lands: those of `step`
  /// itself count too.
  public static func checkpoint(in written: [CheckpointRecord], atOrBefore step: Int) -> CheckpointRecord? {
    written.last { $0.failure == nil && $0.step <= step }
  }

  /// What `f` says when no checkpoint precedes `step`.
  public static func noCheckpoint(atOrBefore step: Int) -> String {
    "no checkpoint at or before step \(step): runs with --checkpoint-every 1 can be forked from any epoch"
  }

  /// The checkpoints among a run's events, in log order.
  public static func checkpoints(in events: [RunEvent]) -> [CheckpointRecord] {
    events.compactMap { event in
      if case .checkpoint(let c) = event { c } else { nil }
    }
  }
}
