#if canImport(Glibc)
import Glibc
#endif

/// Gives back the pages of code and read-only data that only start-up touched.
///
/// Argument parsing, the catalog, the contract and the journal's recovery run once, but the
/// pages of the binary and the libraries they ran from stay mapped, and the kernel maps 64 KiB
/// around each page a fault touches: about half of an idle gateway's resident memory. Once
/// the gateway serves, each read-only file mapping that holds no private page is unmapped
/// (`MADV_DONTNEED`); the pages stay in the page cache, and what runs afterwards maps them
/// again on its first use. A mapping with private pages (copied on write: relocations, data)
/// is left alone, since dropping those would bring back the file's bytes in place of the
/// process's.
public enum StartupPages {
    /// Returns the number of bytes unmapped; 0 when `/proc/self/smaps` cannot be read.
    @discardableResult
    public static func release() -> Int {
        var released = 0
        for mapping in readOnlyFileMappings() where madvise(mapping.start, mapping.length, MADV_DONTNEED) == 0 {
            released += mapping.length
        }
        return released
    }

    private struct Mapping {
        var start: UnsafeMutableRawPointer
        var length: Int
    }

    /// Mappings of a file, readable and not writable, with no anonymous (private) page.
    private static func readOnlyFileMappings() -> [Mapping] {
        guard let file = fopen("/proc/self/smaps", "r") else { return [] }
        defer { fclose(file) }
        var mappings: [Mapping] = []
        var candidate: Mapping?
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(cString: line)
            if let header = header(text) {
                candidate = header
            } else if text.hasPrefix("Anonymous:"), let mapping = candidate {
                let kilobytes = text.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
                if kilobytes == "0" { mappings.append(mapping) }
                candidate = nil
            }
        }
        return mappings
    }

    /// `start-end perms offset dev inode path` for a read-only mapping of a file, else nil.
    private static func header(_ line: String) -> Mapping? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 6, let dash = fields[0].firstIndex(of: "-") else { return nil }
        let perms = fields[1]
        guard perms.count == 4, perms.hasPrefix("r"), perms.dropFirst().first == "-", fields[5].hasPrefix("/"),
            let start = UInt(fields[0][..<dash], radix: 16),
            let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16), end > start,
            let pointer = UnsafeMutableRawPointer(bitPattern: start)
        else { return nil }
        return Mapping(start: pointer, length: Int(end - start))
    }
}
