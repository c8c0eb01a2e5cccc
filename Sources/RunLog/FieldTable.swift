/// One JSON key of an object and how its value travels both ways.
///
/// A payload is described once, as a list of these, and both the writer and the reader walk that
/// list: adding a field or a record type is one edit, and the two directions cannot drift apart
/// (they used to be two hand-mirrored files).
struct Field<Root>: Sendable {
  let key: String
  /// The key's JSON, or nil to leave the key out.
  let write: @Sendable (Root) -> JSONValue?
  /// Reads the key's node (nil when the key is absent) into the value being built.
  let read: @Sendable (inout Root, JSONNode?) throws(RecordError) -> Void
}

extension Field {
  /// A stored property, converted. `whenMissing` gives the value of a key that older files lack
  /// (absent or null); without it such a key is an error.
  init<Value>(
    _ key: String, _ path: WritableKeyPath<Root, Value> & Sendable, _ conversion: Conversion<Value>,
    whenMissing: (@Sendable (Root) -> Value)? = nil
  ) {
    self.init(
      key, get: { $0[keyPath: path] }, set: { $0[keyPath: path] = $1 }, conversion, whenMissing: whenMissing)
  }

  /// A value that is not one stored property: two properties in one key, or one derived from
  /// another. `set` runs in table order, so it may rely on the keys before it.
  init<Value>(
    _ key: String, get: @escaping @Sendable (Root) -> Value,
    set: @escaping @Sendable (inout Root, Value) -> Void, _ conversion: Conversion<Value>,
    whenMissing: (@Sendable (Root) -> Value)? = nil
  ) {
    self.key = key
    write = { conversion.write(get($0)) }
    read = { root, node throws(RecordError) in
      if let whenMissing, node == nil || node == .null {
        set(&root, whenMissing(root))
      } else {
        set(&root, try conversion.read(node, key))
      }
    }
  }

  /// A key whose value never changes (a format name, a version): written as is, and a file that
  /// says otherwise is refused with `mismatch`.
  static func constant<Value: Equatable & Sendable>(
    _ key: String, _ value: Value, _ conversion: Conversion<Value>,
    mismatch: @escaping @Sendable (Value) -> String
  ) -> Field {
    Field(key: key, write: { _ in conversion.write(value) }) { _, node throws(RecordError) in
      let found = try conversion.read(node, key)
      guard found == value else { throw RecordError(description: mismatch(found)) }
    }
  }

  /// Fields of the same value grouped under one key (`"machine": {"hostname", "cores"}`).
  static func nested(_ key: String, _ fields: [Field]) -> Field {
    Field(key: key, write: { root in .object(fields.compactMap { f in f.write(root).map { (f.key, $0) } }) })
    {
      root, node throws(RecordError) in
      guard case .object(let object)? = node else { throw RecordError.bad(key) }
      for field in fields { try field.read(&root, object[field.key]) }
    }
  }

  /// The same field, for a value that holds this one at `path`.
  func lifted<Outer>(_ path: WritableKeyPath<Outer, Root> & Sendable) -> Field<Outer> {
    let field = self
    return Field<Outer>(key: key, write: { field.write($0[keyPath: path]) }) {
      outer, node throws(RecordError) in
      try field.read(&outer[keyPath: path], node)
    }
  }

  /// The same field, for a value that may hold this one at `path`. The first key of the group
  /// (`opens`) decides: when a file has it, the part is read, starting from `blank`; when the
  /// value lacks the part, none of its keys are written.
  func lifted<Outer>(_ path: WritableKeyPath<Outer, Root?> & Sendable, blank: Root, opens: Bool)
    -> Field<Outer> where Root: Sendable
  {
    let field = self
    return Field<Outer>(key: key, write: { $0[keyPath: path].flatMap(field.write) }) {
      outer, node throws(RecordError) in
      guard var part = outer[keyPath: path] ?? (opens && node != nil ? blank : nil) else { return }
      try field.read(&part, node)
      outer[keyPath: path] = part
    }
  }
}

/// A payload's field table: the value reading starts from, the fields in the order they are
/// written, and the checks that span fields (a confusion matrix's size, a grid's byte counts).
struct ObjectCodec<Root: Sendable>: Sendable {
  let blank: Root
  let fields: [Field<Root>]
  /// What is wrong with a value that read field by field, or nil.
  let check: @Sendable (Root) -> String?

  init(blank: Root, _ fields: [Field<Root>], check: @escaping @Sendable (Root) -> String? = { _ in nil }) {
    self.blank = blank
    self.fields = fields
    self.check = check
  }

  func pairs(_ value: Root) -> [(String, JSONValue)] {
    fields.compactMap { field in field.write(value).map { (field.key, $0) } }
  }

  func decode(_ object: [String: JSONNode]) throws(RecordError) -> Root {
    var value = blank
    for field in fields { try field.read(&value, object[field.key]) }
    if let problem = check(value) { throw RecordError(description: problem) }
    return value
  }

  /// The value as a JSON object under a key (`network`, each of `layers`).
  var object: Conversion<Root> {
    let codec = self
    return Conversion(write: { .object(codec.pairs($0)) }) { node, key throws(RecordError) in
      guard case .object(let object)? = node else { throw RecordError.bad(key) }
      return try RecordError.within(key) { () throws(RecordError) in try codec.decode(object) }
    }
  }

  /// The value as an array in field order, for compact tuples (`[x, y, label, validation]`); the
  /// field names then only name the positions in complaints.
  var tuple: Conversion<Root> {
    let codec = self
    return Conversion(write: { value in .array(codec.fields.map { $0.write(value) ?? .null }) }) {
      node, key throws(RecordError) in
      guard case .array(let items)? = node, items.count == codec.fields.count else {
        throw RecordError.bad(key)
      }
      var value = codec.blank
      for (field, item) in zip(codec.fields, items) {
        try RecordError.within(key) { () throws(RecordError) in try field.read(&value, item) }
      }
      if let problem = codec.check(value) { throw RecordError(description: "\(key): \(problem)") }
      return value
    }
  }

  /// The value as JSON text inside a string: safetensors metadata holds only strings.
  var jsonText: Conversion<Root> {
    let object = self.object
    return Conversion(write: { .string(object.write($0)?.text ?? "null") }) { node, key throws(RecordError) in
      guard case .string(let text)? = node, let parsed = try? JSONParser.parse(Substring(text)) else {
        throw RecordError.bad(key)
      }
      return try object.read(parsed, key)
    }
  }
}

extension RecordError {
  /// The complaint about a key that is absent or holds the wrong kind of value.
  static func bad(_ key: String) -> RecordError { RecordError(description: "missing or bad '\(key)'") }

  /// Runs `body`, naming `key` in front of its complaint ("network: missing or bad 'input'").
  static func within<T>(_ key: String, _ body: () throws(RecordError) -> T) throws(RecordError) -> T {
    do {
      return try body()
    } catch {
      throw RecordError(description: "\(key): \(error.description)")
    }
  }
}
