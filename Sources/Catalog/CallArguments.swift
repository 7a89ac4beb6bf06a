/// A call's parameters after validation: upstream names, normalized values, in the order the
/// client sent them (gateway-added parameters last).
public struct CallArguments: Sendable, Hashable {
    public private(set) var entries: [(name: String, value: ParamValue)]

    public init(_ entries: [(name: String, value: ParamValue)] = []) {
        self.entries = entries
    }

    public subscript(name: String) -> ParamValue? {
        entries.first { $0.name == name }?.value
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Sets `name`, replacing a value in place or appending a new one.
    public mutating func set(_ name: String, _ value: ParamValue) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index].value = value
        } else {
            entries.append((name, value))
        }
    }

    public mutating func remove(_ name: String) {
        entries.removeAll { $0.name == name }
    }

    /// Renames `old` to `new`, keeping its place.
    public mutating func rename(_ old: String, to new: String) {
        if let index = entries.firstIndex(where: { $0.name == old }) { entries[index].name = new }
    }

    public static func == (lhs: CallArguments, rhs: CallArguments) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.value)
        }
    }
}
