import NeuralNet
import Testing

/// When nntop asks OpenBLAS for other kernels: only over a generic fallback, never over a user's
/// own `OPENBLAS_CORETYPE`, and only for kernels the CPU's flags say it runs.
@Suite struct BLASKernelsTests {
  static let avx512: Set<String> = [
    "sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq",
  ]

  @Test func aGenericFallbackOnAModernCPUIsReplaced() {
    #expect(BLASKernels.better(current: "Prescott", flags: Self.avx512, userChoice: nil) == "SkylakeX")
    #expect(
      BLASKernels.better(current: "Nehalem", flags: ["avx", "avx2", "fma"], userChoice: nil) == "Haswell")
    #expect(BLASKernels.better(current: "Core2", flags: ["sse3", "avx"], userChoice: nil) == "Sandybridge")
    #expect(BLASKernels.better(current: "Prescott", flags: ["sse3"], userChoice: nil) == nil)
  }

  @Test func aRecognisedCPUOrAUsersChoiceIsKept() {
    #expect(BLASKernels.better(current: "Zen", flags: ["avx", "avx2", "fma"], userChoice: nil) == nil)
    #expect(BLASKernels.better(current: "SkylakeX", flags: Self.avx512, userChoice: nil) == nil)
    #expect(BLASKernels.better(current: "Prescott", flags: Self.avx512, userChoice: "Prescott") == nil)
    #expect(BLASKernels.better(current: "Prescott", flags: Self.avx512, userChoice: "") == nil)
  }

  @Test func theRunningKernelsHaveAName() {
    #expect(!BLASKernels.current.isEmpty && BLASKernels.current != "unknown")
    #expect(!BLASKernels.cpuFlags().isEmpty)
  }
}
