/// The central-difference estimate of the derivative of `f` at `x`: (f(x + h) − f(x − h)) / 2h,
/// the reference that analytic derivatives and gradients are checked against.
public func centralDifference<Input: BinaryFloatingPoint, Output: BinaryFloatingPoint>(
  at x: Input, step h: Input, _ f: (Input) -> Output
) -> Double {
  Double(f(x + h) - f(x - h)) / Double(2 * h)
}
