import Foundation
import Testing

/// Polls `condition` every `poll` until it holds or `deadline` (from now) has passed, and returns
/// whether it held. At the deadline it records an issue naming `what` and the time waited, so a
/// slow machine waits longer instead of failing, and a hang fails with a clear message.
@discardableResult
public func waitUntil(
  _ what: @autoclosure () -> String, deadline: Duration = .seconds(30), poll: Duration = .milliseconds(10),
  sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool
) rethrows -> Bool {
  if try eventually(within: deadline, poll: poll, condition) { return true }
  Issue.record("timed out after \(deadline) waiting for \(what())", sourceLocation: sourceLocation)
  return false
}

/// Polls `condition` every `poll` until it holds or `deadline` (from now) has passed, and returns
/// whether it held. Records nothing: for helpers whose callers check the result themselves.
public func eventually(
  within deadline: Duration = .seconds(30), poll: Duration = .milliseconds(10), _ condition: () throws -> Bool
) rethrows -> Bool {
  let clock = ContinuousClock()
  let end = clock.now.advanced(by: deadline)
  while clock.now < end {
    if try condition() { return true }
    sleep(for: poll)
  }
  return try condition()
}

/// Polls `condition` every `poll` for `duration` and returns whether it held every time. The first
/// time it does not, records an issue naming `what` and returns false. For what must not happen
/// (a paused run must not step), where there is nothing to wait for.
@discardableResult
public func keepsHolding(
  _ what: @autoclosure () -> String, for duration: Duration, poll: Duration = .milliseconds(20),
  sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool
) rethrows -> Bool {
  let clock = ContinuousClock()
  let start = clock.now
  while true {
    guard try condition() else {
      Issue.record(
        "no longer true after \(start.duration(to: clock.now)): \(what())", sourceLocation: sourceLocation)
      return false
    }
    if start.duration(to: clock.now) >= duration { return true }
    sleep(for: poll)
  }
}

/// Blocks the calling thread for `duration` (the tests that wait are synchronous).
private func sleep(for duration: Duration) {
  let (seconds, attoseconds) = duration.components
  Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) * 1e-18)
}
