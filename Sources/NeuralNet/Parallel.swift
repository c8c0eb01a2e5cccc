import Dispatch

/// Runs `body(0)`, …, `body(count - 1)` at the same time and returns when all have finished
/// (on `WorkerPool`'s spinning threads, or Dispatch's pool when those are taken).
///
/// `DispatchQueue.concurrentPerform` demands a `@Sendable` closure; the engine's parallel work
/// (slices of a batch, parts of a parameter buffer) writes through pointers into disjoint
/// memory, which the type system cannot see. This is the one place that vouches for it: every
/// caller must give each iteration its own workspace or its own range.
public enum Parallel {
  /// The machine's online cores, read once: the most a region, a run's `--threads` or an
  /// evaluation's halves can use at once.
  public static var cores: Int { WorkerPool.cores }

  public static func forEach(_ count: Int, _ body: (Int) -> Void) {
    WorkerPool.shared.run(count, body)
  }
}

struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
