/// Stream names as the simulator accepts them in a path, a query or a SUBSCRIBE.
enum StreamNames {
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= StreamSubscriptions.maxStreamNameLength
            && name.utf8.allSatisfy {
                $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\"")
                    && $0 != UInt8(ascii: "\\")
            }
    }

    /// `a/b/c` split on `/`; `nil` when a name is invalid.
    static func parse(list: Substring) -> [String]? {
        guard !list.isEmpty else { return [] }
        let names = list.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return names.allSatisfy(isValid) ? names : nil
    }
}
