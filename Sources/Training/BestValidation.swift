/// The best validation loss so far and how many epochs ago it was: early stopping's memory.
struct BestValidation {
  private(set) var loss: Double?
  private(set) var accuracy: Double?
  private(set) var epochsSince = 0

  /// Notes an epoch's validation; returns false when `patience` epochs (0: never) have passed
  /// without a lower loss. A NaN loss is never better.
  mutating func note(loss: Double, accuracy: Double?, patience: Int) -> Bool {
    if loss < (self.loss ?? .infinity) {
      self.loss = loss
      self.accuracy = accuracy
      epochsSince = 0
      return true
    }
    epochsSince += 1
    return !(patience > 0 && epochsSince >= patience)
  }
}
