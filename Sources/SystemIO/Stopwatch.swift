#if canImport(Glibc)
  import Glibc
#endif

/// Monotonic seconds, for throughput and elapsed time.
public struct Stopwatch: Sendable {
  private let start: Double
  public init() { start = Stopwatch.now() }
  public var elapsed: Double { Stopwatch.now() - start }

  public static func sleep(_ seconds: Double) { usleep(useconds_t(max(0, seconds) * 1e6)) }

  public static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
}
