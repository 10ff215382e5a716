import Synchronization

/// A cache of large freed tensor buffers, keyed by exact byte size, so a training loop that allocates
/// the same activation shapes every step reuses warm memory instead of asking the kernel for fresh pages
/// (which costs a page fault and a zeroing per 4 KiB, and dominated 1×1-conv steps before this pool).
///
/// Only blocks of at least `minimumBytes` are pooled; at most `capacityBytes` are held in total (a block
/// that does not fit is freed). Thread-safe.
final class StoragePool: Sendable {
    static let minimumBytes = 64 * 1024
    static let capacityBytes = 1 << 30

    private struct State {
        var free: [Int: [UInt]] = [:]   // addresses of free blocks by byte size
        var heldBytes = 0
    }

    private let state = Mutex(State())

    /// A block of `bytes` bytes, 64-byte aligned, reused when one of that size is free.
    func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= StoragePool.minimumBytes {
            let reused: UInt? = state.withLock { s in
                guard let p = s.free[bytes]?.popLast() else { return nil }
                s.heldBytes -= bytes
                return p
            }
            if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return p }
        }
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    /// Returns a block; it is kept for reuse while the pool has room, otherwise freed.
    func release(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= StoragePool.minimumBytes {
            let address = UInt(bitPattern: pointer)
            let kept = state.withLock { s -> Bool in
                guard s.heldBytes + bytes <= StoragePool.capacityBytes else { return false }
                s.free[bytes, default: []].append(address)
                s.heldBytes += bytes
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }
}

/// The process's pool of tensor buffers.
let storagePool = StoragePool()
