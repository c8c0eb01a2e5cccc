import CKernels
import Dispatch
import Synchronization
import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Persistent worker threads that spin briefly between parallel regions.
///
/// A training step opens three parallel regions (the first layer's product, forward/backward of
/// the replicas, the weight gradients with the update), each a fraction of a millisecond. Dispatch's pool puts its threads to
/// sleep between them, and waking one costs ≈ 85 µs on the project's virtual machines (measured:
/// two 140 µs halves took 225 µs under `concurrentPerform`, 142 µs with a spinning partner),
/// which cost a two-core step about a third of its time. These workers spin (with the CPU's
/// `pause`) for a short while after each region, so back-to-back regions start at once, and
/// then sleep on a condition variable, so an idle or paused run uses no CPU.
///
/// Iterations are claimed, not assigned: the calling thread takes any iteration no worker has
/// started, so a worker descheduled by a busy machine delays nothing (Dispatch's work stealing
/// gave the same guarantee). A region's generation, size and next unclaimed iteration live in one
/// atomic word, so a late worker can never claim an iteration of a region that has moved on.
final class WorkerPool: @unchecked Sendable {
  static let shared = WorkerPool()

  /// How long a worker spins before sleeping: longer than the gap between a step's regions and
  /// between steps, short enough that a paused run goes quiet at once.
  static let spinSeconds = 0.002
  /// Regions larger than this (or than the cores) go to Dispatch.
  static let maximumCount = 255

  static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

  /// generation << 16 | count << 8 | next unclaimed iteration.
  private let state = Atomic<Int>(0)
  private let completed = Atomic<Int>(0)
  private let busy = Atomic<Bool>(false)
  private var job: ((Int) -> Void)?
  private var workers = 0
  private var mutex = pthread_mutex_t()
  private var wake = pthread_cond_t()
  private var sleepers = 0

  private init() {
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&wake, nil)
  }

  /// Runs `body(0..<count)` at once and returns when all have finished. Falls back to Dispatch
  /// when another region is already running (nested, or from another thread) or when there are
  /// more iterations than cores (spinning threads would then steal each other's cores).
  func run(_ count: Int, _ body: (Int) -> Void) {
    if count == 1 { return body(0) }
    guard count <= min(WorkerPool.cores, WorkerPool.maximumCount),
      !busy.exchange(true, ordering: .acquiring)
    else { return Self.dispatch(count, body) }
    defer { busy.store(false, ordering: .releasing) }
    withoutActuallyEscaping(body) { escapable in
      while workers < count - 1 { startWorker() }
      job = escapable
      completed.store(0, ordering: .relaxed)
      let generation = (state.load(ordering: .relaxed) >> 16) &+ 1
      state.store((generation << 16) | (count << 8), ordering: .releasing)
      pthread_mutex_lock(&mutex)
      if sleepers > 0 { pthread_cond_broadcast(&wake) }
      pthread_mutex_unlock(&mutex)
      claimIterations(of: generation)
      while completed.load(ordering: .acquiring) < count { nntop_cpu_relax() }
      job = nil
    }
  }

  /// Claims and runs iterations of region `generation` until none is left; false when the
  /// region had already moved on.
  private func claimIterations(of generation: Int) {
    while true {
      let s = state.load(ordering: .acquiring)
      let next = s & 0xFF
      guard s >> 16 == generation, next < (s >> 8) & 0xFF else { return }
      guard state.compareExchange(expected: s, desired: s + 1, ordering: .acquiringAndReleasing).exchanged
      else { continue }
      // A successful claim means the region is still open (its caller waits for this
      // iteration), so `job` is this region's.
      job?(next)
      completed.add(1, ordering: .releasing)
    }
  }

  private static func dispatch(_ count: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { escapable in
      let box = UncheckedSendable(escapable)
      DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
    }
  }

  private func startWorker() {
    workers += 1
    let start = state.load(ordering: .acquiring) >> 16
    let context = Unmanaged.passRetained(WorkerContext(pool: self, start: start)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { raw in
        let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
        context.pool.workerLoop(start: context.start)
        return nil
      }, context)
    precondition(status == 0, "nntop: cannot start a worker thread (error \(status))")
    pthread_detach(thread)
  }

  /// `start` is the generation before the worker's first region, read when it was created, so a
  /// thread that begins running after that region was announced still takes part in it.
  private func workerLoop(start: Int) {
    // These threads run only the engine's parallel regions, which flush subnormal numbers
    // (`withSubnormalsFlushed`): the mode is set once for the thread's life.
    _ = nntop_flush_subnormals_begin()
    var seen = start
    while true {
      seen = waitForRegion(after: seen)
      claimIterations(of: seen)
    }
  }

  /// Spins until a region after `seen` is announced, then sleeps until one is; returns its
  /// generation.
  private func waitForRegion(after seen: Int) -> Int {
    let deadline = Stopwatch.now() + WorkerPool.spinSeconds
    var spins = 0
    while true {
      let current = state.load(ordering: .acquiring) >> 16
      if current != seen { return current }
      spins += 1
      if spins % 64 == 0, Stopwatch.now() > deadline { break }
      nntop_cpu_relax()
    }
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    while state.load(ordering: .acquiring) >> 16 == seen {
      sleepers += 1
      pthread_cond_wait(&wake, &mutex)
      sleepers -= 1
    }
    return state.load(ordering: .acquiring) >> 16
  }
}

private final class WorkerContext {
  let pool: WorkerPool
  let start: Int
  init(pool: WorkerPool, start: Int) {
    self.pool = pool
    self.start = start
  }
}
