import CBLAS

#if canImport(Glibc)
  import Glibc
#endif

/// Which OpenBLAS kernels run the matrix products.
///
/// OpenBLAS picks its kernels when it loads, from the CPU's identity. Debian 12's OpenBLAS
/// (0.3.21) does not know some CPUs that virtual machines report (a Cooper Lake Xeon here) and
/// falls back to its generic SSE3 kernels ("Prescott"), four times slower on the step's shapes
/// than the AVX-512 ones (GEMM-only ceiling: 31k against 131k samples/s at one thread) — slower
/// than NumPy, whose newer OpenBLAS knows the CPU. When OpenBLAS chose a generic kernel, the user
/// has not chosen one (`OPENBLAS_CORETYPE`), and the CPU's flags say a better one runs, nntop
/// names it and starts again, since the choice is made before `main`.
public enum BLASKernels {
  /// OpenBLAS's pre-AVX kernel families: chosen only when it does not recognise the CPU here.
  static let generic: Set<String> = [
    "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine", "Northwood",
    "Banias", "Opteron",
  ]

  /// The kernels OpenBLAS runs ("SkylakeX", "Haswell", "Zen", …).
  public static var current: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// The kernel family to ask for, or nil to keep OpenBLAS's own choice: only when that choice
  /// is generic, the user set none, and `flags` (from /proc/cpuinfo) show AVX2 or AVX-512.
  public static func better(current: String, flags: Set<String>, userChoice: String?) -> String? {
    guard userChoice == nil, generic.contains(current) else { return nil }
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    if flags.contains("avx") { return "Sandybridge" }
    return nil
  }

  /// The CPU's feature flags, from /proc/cpuinfo (empty where it cannot be read).
  public static func cpuFlags() -> Set<String> {
    guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
    defer { fclose(file) }
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0, let line {
      let text = String(cString: line)
      guard text.hasPrefix("flags") else { continue }
      return Set(text.split(separator: ":").dropFirst().joined().split(separator: " ").map(String.init))
    }
    return []
  }
}
