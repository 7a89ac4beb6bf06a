import EventLoops
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `StartupPages` unmaps read-only file pages and leaves every byte the process sees as it was.
@Suite("Start-up pages")
struct StartupPagesTests {
    private static let pageCount = 64

    /// A file of `pageCount` pages, page `i` filled with byte `i`.
    private func makeFile() throws -> (path: String, size: Int) {
        let size = Self.pageCount * Int(getpagesize())
        var template = Array("/tmp/startup-pages-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        try #require(fd >= 0)
        defer { close(fd) }
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 / Int(getpagesize())) }
        try #require(bytes.withUnsafeBytes { write(fd, $0.baseAddress, size) } == size)
        return (String(cString: template), size)
    }

    /// The resident kilobytes of the mapping that starts at `start`, from `/proc/self/smaps`.
    private func residentKilobytes(_ start: UnsafeMutableRawPointer) throws -> Int {
        let file = try #require(fopen("/proc/self/smaps", "r"))
        defer { fclose(file) }
        let prefix = String(UInt(bitPattern: start), radix: 16) + "-"
        var line = [CChar](repeating: 0, count: 4096)
        var inMapping = false
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(cString: line)
            let range = text.split(separator: " ").first ?? ""
            if range.contains("-") && range.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                inMapping = text.hasPrefix(prefix)
            } else if inMapping, text.hasPrefix("Rss:") {
                return Int(text.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
            }
        }
        Issue.record("no mapping at \(prefix)")
        return -1
    }

    private func map(_ path: String, size: Int, writable: Bool) throws -> UnsafeMutableRawPointer {
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let prot = writable ? PROT_READ | PROT_WRITE : PROT_READ
        let pointer = mmap(nil, size, prot, MAP_PRIVATE, fd, 0)
        try #require(pointer != MAP_FAILED)
        return try #require(pointer)
    }

    private func sum(_ start: UnsafeMutableRawPointer, _ size: Int) -> Int {
        let pageSize = Int(getpagesize())
        return stride(from: 0, to: size, by: pageSize).reduce(0) {
            $0 + Int(start.load(fromByteOffset: $1, as: UInt8.self))
        }
    }

    @Test func aReadOnlyFileMappingIsUnmappedAndReadsTheSameAfterwards() throws {
        let (path, size) = try makeFile()
        defer { unlink(path) }
        let start = try map(path, size: size, writable: false)
        defer { munmap(start, size) }
        let before = sum(start, size)
        #expect(before == (0..<Self.pageCount).reduce(0, +))
        #expect(try residentKilobytes(start) == size / 1024)

        let released = StartupPages.release()
        #expect(released >= size)
        #expect(try residentKilobytes(start) == 0)
        #expect(sum(start, size) == before)
    }

    @Test func aMappingWithPrivatePagesIsLeftAlone() throws {
        let (path, size) = try makeFile()
        defer { unlink(path) }
        let start = try map(path, size: size, writable: true)
        defer { munmap(start, size) }
        // Copy-on-write pages, then read-only: what a relocated segment looks like.
        for page in 0..<Self.pageCount {
            start.storeBytes(of: 0xAB, toByteOffset: page * Int(getpagesize()), as: UInt8.self)
        }
        try #require(mprotect(start, size, PROT_READ) == 0)

        StartupPages.release()
        #expect(try residentKilobytes(start) == size / 1024)
        #expect(sum(start, size) == 0xAB * Self.pageCount)
    }
}
