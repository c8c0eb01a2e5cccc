/// Every number a rule compares with, in one place; docs/diagnosis.md gives each one's source.
public enum Thresholds {
  /// Loss above this multiple of the initial loss is an explosion: CS231n lecture 6 stops a
  /// learning-rate search when the cost exceeds 3× the initial cost.
  public static let explosionFactor = 3.0
  /// Finite, unexploded progress records after the last divergence before the run counts as
  /// recovered; the first record after a rollback may still average in the exploded steps.
  public static let recoveryRecords = 3

  /// Layer snapshots a median is taken over: one batch overstates a dead fraction (CS231n N1).
  public static let medianSnapshots = 5
  /// ‖g_first‖/‖g_last‖ below this, while training is stuck, is vanishing (AUTOTRAINER).
  public static let vanishingRatio = 1e-3
  /// ‖g_first‖/‖g_last‖ above this is exploding (AUTOTRAINER).
  public static let explodingRatio = 70.0
  /// A hidden layer more than this fraction dead (SageMaker Debugger DeadRelu).
  public static let deadFraction = 0.5
  /// A hidden layer more than this fraction saturated (SageMaker Debugger, DeepDiagnosis).
  public static let saturatedFraction = 0.5

  /// Healthy update/weight ratio band: CS231n says ≈1e-3, the Deep Learning book ≈1e-2. Only a
  /// decade beyond both is flagged, so neither source would call a flagged run healthy.
  public static let updateRatioLow = 1e-4
  public static let updateRatioHigh = 1e-1
  /// How the band is said wherever a ratio is shown or judged (the Layer health panel had said
  /// "≈ 1e-3 is healthy" beside a green 2.4e-4 that the reading rightly left alone).
  public static let updateRatioBand = "1e-4 to 1e-2 is healthy, 1e-3 typical"
  /// Updates over `updateRatioHigh` are blamed on L2 rather than the rate when the decay alone
  /// takes at least this share of each weight a step (SGD: lr · λ / (1 − momentum)). The overfit
  /// lesson with L2 pressed to 0.2 at lr 0.05 and momentum 0.9 takes 0.1 a step and read "rate too
  /// high" (updates 0.27–1.07 of the weights); the underfit lesson's 0.05 takes 0.025 and stays
  /// in the healthy band (≈ 0.02).
  public static let decayShareOfHighUpdates = 0.025
  /// An update ratio above this makes a high rate the likely killer of dead units.
  public static let updateRatioHot = 1e-2

  /// Training is stuck when, after this many steps, the loss is still within `stuckBand` of the
  /// untrained loss (2.30 for 10 classes): no learning has happened.
  public static let stuckSteps = 200
  /// A validation accuracy within this fraction of the way from chance to perfect (14.5 % for
  /// ten classes, 52.5 % for two), with the validation loss no longer falling: guessing.
  public static let chanceMargin = 0.05
  public static let stuckBand = 0.1

  /// Oscillation: within the last `oscillationWindow` progress records, at least this fraction
  /// of consecutive pairs rise by more than `oscillationRise`, with no net progress. The
  /// analogue of AUTOTRAINER's "unstable" (accuracy swings in ≥ 20 % of epochs), on losses.
  public static let oscillationWindow = 12
  /// Units dying: at least this many snapshots, the median of the last three this dead (or the
  /// last two in a row over half the rise and this), and this much more dead than the window's
  /// first (the dead-relu lesson: 1 % → 7 % → 20 % by step 5).
  /// A healthy run's dead fractions stay well under 15 % and do not climb.
  public static let dyingSnapshots = 3
  public static let dyingFraction = 0.15
  public static let dyingRise = 0.1
  /// A hidden layer this dead (latest reading) cannot be revived by a key: a new run.
  public static let deadBeyondRescue = 0.95
  /// Records are merged into groups of at least this many steps first (noise of tiny windows).
  public static let oscillationGroupSteps = 16
  public static let oscillationMinimum = 6
  public static let oscillationShare = 1.0 / 3.0
  public static let oscillationRise = 0.1
  /// …and by at least this fraction of the untrained loss (`RunHistory.referenceLoss`). Near a
  /// run's floor a record's loss is a few hundred examples' mean, and a few misclassified ones
  /// move it by 10 % and more: the spiral set at lr 0.05 bounced 0.027 → 0.043 at 99 % accuracy
  /// and read "learning rate too high" between "good fit" frames. Its bounces were ≈ 1 % of the
  /// untrained loss (1.10); an overshooting rate's are tens of percent.
  public static let oscillationFloor = 0.02

  /// Overfitting: validation loss not improved for this many epochs (DL book §7.8 patience;
  /// the old reading used 2), or this many quick evaluations inside epochs.
  public static let overfitEpochs = 2
  public static let overfitQuickEvaluations = 3
  /// …and the latest validation loss above the best by more than this share. At 2 % the overfit
  /// lesson's end (10 000 examples, validation 0.185–0.194 from epoch to epoch with nothing
  /// changed) flipped between "overfitting" and "good fit" every epoch; its real turn rises 5–10 %
  /// (0.395 → 0.415–0.445).
  public static let validationRise = 0.05
  /// Validation accuracy must not have improved by more than this since the best loss: a loss
  /// that rises while accuracy still improves is over-confidence, not yet overfitting.
  public static let accuracyImprovement = 0.002
  /// …and by more than this many standard errors of a validation accuracy (√(p(1−p)/n)): on 5 000
  /// examples at 88 % one standard error is 0.46 points, so a wobble is not read as improvement.
  public static let accuracyNoiseMultiple = 1.5
  /// Training must have fallen by more than this fraction since the best validation loss.
  public static let trainingStillFalling = 0.01
  /// A gap this large relative to the training loss is worth a word (SageMaker Overfit: 0.1).
  public static let relativeGap = 0.1
  /// Train minus validation accuracy above this (5 points) is high variance, whatever the trend:
  /// never "good fit" (MLY: variance = dev error − training error).
  public static let varianceAccuracyGap = 0.05
  /// The gap is growing when it widened by more than this share of the validation loss over two
  /// epochs.
  public static let gapGrowth = 0.02
  /// A growing gap is a warning only once training is this far ahead of validation in accuracy
  /// (where both are known): the underfit lesson's cure ended at 97.5 % against 97.0 % with its
  /// loss gap "growing" from 0 to 0.015 and read as a warning at the moment the lesson succeeded;
  /// the default run's ten epochs end at 99.2 % against 97.9 % and still read it.
  public static let growingGapAccuracy = 0.01
  /// A knob turned on a weak run made it worse when the training loss's median of three records
  /// since is this much above the three before (the underfit lesson at L2 0.2: 0.6 → 1.5).
  public static let worseSinceChange = 0.25
  /// A person's turn of a knob helped when validation loss got this much better after it.
  public static let helpedImprovement = 0.01
  /// A new run's L2 where the run had none: a decade of rungs from 0 reached 1e-4, which in the
  /// overfit lesson changed nothing (val loss 0.462 at epoch 30 against 0.467 without); 1e-3 gave
  /// 0.420 and 5e-3 0.377, so a student is one or two runs from the cure, not three.
  public static let firstL2 = 1e-3

  /// Underfitting: training accuracy below this, the gap under `relativeGap` of the validation
  /// loss, and the training loss improving less than `plateau` per epoch.
  public static let lowTrainAccuracy = 0.9
  public static let plateau = 0.05
  /// Regularisation this strong is the first suspect when a model underfits.
  public static let strongL2 = 1e-3
  public static let strongDropout = 0.2
  /// A hidden layer narrower than this is too small for MNIST-sized inputs.
  public static let narrowLayer = 32

  /// A learning rate at or above this is in the diverging range for SGD with momentum 0.9
  /// (effective step 10×), and for Adam the one below: never suggest raising it further.
  public static let sgdRateCeiling = 1.0
  public static let adamRateCeiling = 1e-2
  /// Rates at or above these are "high" for the dead-unit rule (default: 0.05 SGD, 1e-3 Adam).
  public static let sgdHighRate = 0.2
  public static let adamHighRate = 3e-3
}
