import Datasets
import Foundation
import Testing

@Suite struct DataLocatorTests {
  @Test func explicitFolderMayBeTheDatasetsFolderOrTheMnistFolder() throws {
    let fixtures = Fixtures()
    try FileManager.default.createDirectory(
      atPath: fixtures.folder + "/mnist", withIntermediateDirectories: true)
    #expect(
      try DataLocator.locate("mnist", explicit: fixtures.folder, environment: [:], executable: nil)
        == fixtures.folder + "/mnist")
    let inner = Fixtures()
    inner.writeGzip("train-labels-idx1-ubyte.gz", Fixtures.labels(count: 1))
    #expect(
      try DataLocator.locate("mnist", explicit: inner.folder, environment: [:], executable: nil)
        == inner.folder)
  }

  @Test func environmentVariableIsUsed() throws {
    let fixtures = Fixtures()
    try FileManager.default.createDirectory(
      atPath: fixtures.folder + "/mnist", withIntermediateDirectories: true)
    let found = try DataLocator.locate(
      "mnist", explicit: nil, environment: ["NNTOP_DATA": fixtures.folder], executable: nil)
    #expect(found == fixtures.folder + "/mnist")
  }

  @Test func installedPrefixIsSearchedRelativeToTheExecutable() throws {
    let fixtures = Fixtures()
    // A dataset name that the working directory does not have, so only the prefix can match.
    let share = fixtures.folder + "/share/nntop/datasets/fixture-set"
    try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      atPath: fixtures.folder + "/bin", withIntermediateDirectories: true)
    let found = try DataLocator.locate(
      "fixture-set", explicit: nil, environment: [:], executable: fixtures.folder + "/bin/nntop")
    #expect(found == fixtures.folder + "/bin/../share/nntop/datasets/fixture-set")
  }

  @Test func missingExplicitFolderIsExitCode66() {
    do {
      _ = try DataLocator.locate("mnist", explicit: "/no/such/place", environment: [:], executable: nil)
      Issue.record("found a folder that does not exist")
    } catch {
      #expect(error.description == "/no/such/place: no such folder")
      #expect(error.exitCode == 66)
    }
  }

  /// `--data DIR`'s help says "Folder holding datasets/": the repository root (or any folder with
  /// a `datasets/mnist` inside) works, as do the other two forms.
  @Test func explicitFolderMayHoldTheDatasetsFolder() throws {
    let fixtures = Fixtures()
    try FileManager.default.createDirectory(
      atPath: fixtures.folder + "/datasets/mnist", withIntermediateDirectories: true)
    #expect(
      try DataLocator.locate("mnist", explicit: fixtures.folder, environment: [:], executable: nil)
        == fixtures.folder + "/datasets/mnist")
    #expect(
      try DataLocator.locate(
        "mnist", explicit: nil, environment: ["NNTOP_DATA": fixtures.folder], executable: nil)
        == fixtures.folder + "/datasets/mnist")
  }

  /// A missing NNTOP_DATA folder is an error naming the variable, not a quiet fall-back to the
  /// working directory's datasets.
  @Test func missingEnvironmentFolderIsAnErrorNamingIt() {
    do {
      _ = try DataLocator.locate(
        "mnist", explicit: nil, environment: ["NNTOP_DATA": "/nonexistent"], executable: nil)
      Issue.record("NNTOP_DATA=/nonexistent was ignored")
    } catch {
      #expect(error.description == "NNTOP_DATA=/nonexistent: no such folder")
      #expect(error.exitCode == 66)
    }
  }
}
