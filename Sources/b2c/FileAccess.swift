import B2CWire
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading and writing the files a user names, with the reason in the user's terms when it fails: `is a directory`,
/// `no such file`, `no such directory`, `permission denied`, never a Swift error.
enum FileAccess {
    /// The whole file at `path`.
    static func read(_ path: String) throws(CLIError) -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else { throw CLIError("\(path): cannot read: \(reason(errno, path))") }
        if st.st_mode & S_IFMT == S_IFDIR { throw CLIError("\(path): cannot read: is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("\(path): cannot read: \(access(path, R_OK) == 0 ? "read error" : reason(errno, path))")
        }
        return Array(data)
    }

    /// Writes `bytes` to `path`, replacing what was there.
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            throw CLIError("\(path): cannot write: is a directory")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError("\(path): cannot write: \(reason(errno, path))") }
        defer { close(fd) }
        let ok = FileDescriptorIO.writeAll(fd, bytes)
        guard ok else { throw CLIError("\(path): cannot write: \(reason(errno, path))") }
    }

    /// The reason for `code` from an operation on `path`, as a person would say it.
    static func reason(_ code: Int32, _ path: String) -> String {
        switch code {
        case ENOENT:
            let parent = (path as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) {
                return "no such directory \(parent)"
            }
            return "no such file"
        case ENOTDIR: return "a part of the path is not a directory"
        case EISDIR: return "is a directory"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "read-only file system"
        case ENOSPC: return "no space left on the device"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
