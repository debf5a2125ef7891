// fault_vfs.hpp — test-only fault injection for the storage-fault tests (docs/reliability.md,
// "Storage faults"): a SQLite VFS shim over the default one whose xSync fails with
// SQLITE_IOERR_FSYNC while a fault file exists — what SQLite reports when fsync()/fdatasync()
// returns EIO; whose xWrite fails with SQLITE_FULL while a second fault file exists — a full
// disk at the moment a COMMIT writes its WAL frames (a size-limited tmpfs cannot aim that well);
// and whose xSync waits while a third exists — a disk that takes its time, holding the store
// thread inside a COMMIT for as long as the test wants.
//
// Active only when the environment variable AWARED_TEST_FSYNC_FAULT, AWARED_TEST_DISK_FULL or
// AWARED_TEST_SYNC_STALL names a fault file (the test creates and deletes that file to switch
// the fault on and off); unset (always, in production) nothing is registered and SQLite uses
// its default VFS unchanged.
// THREAD SAFETY: install_fault_vfs_if_asked() may be called from any thread (once-only); the
// shim itself only forwards to the default VFS, which is thread safe.
#pragma once

namespace aware::store {

// Registers the shim as the default VFS when one of the variables above is set. Called by every
// Db constructor before it opens a database; the environment is read once.
void install_fault_vfs_if_asked();

}  // namespace aware::store
