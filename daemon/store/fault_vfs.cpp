// fault_vfs.cpp — see fault_vfs.hpp. A classic SQLite VFS shim: each file it opens is the
// shim's header followed by the default VFS's file object, and every method but xSync and
// xWrite forwards to the default VFS's method on that inner file.
#include "store/fault_vfs.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace aware::store {
namespace {

struct ShimFile {
  sqlite3_file base;    // must come first: SQLite sees a ShimFile as a sqlite3_file
  sqlite3_file* inner;  // the default VFS's file, placed right after this struct
};

sqlite3_vfs* g_inner = nullptr;  // the default VFS at installation
std::string g_fault_file;        // while this file exists, xSync fails
std::string g_full_file;         // while this file exists, xWrite fails as on a full disk
std::string g_stall_file;        // while this file exists, xSync waits: a slow disk

sqlite3_file* inner(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->inner; }

int shim_close(sqlite3_file* f) { return inner(f)->pMethods->xClose(inner(f)); }
int shim_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return inner(f)->pMethods->xRead(inner(f), buf, n, off);
}
int shim_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (!g_full_file.empty() && ::access(g_full_file.c_str(), F_OK) == 0) {
    return SQLITE_FULL;  // as when write() returned ENOSPC
  }
  return inner(f)->pMethods->xWrite(inner(f), buf, n, off);
}
int shim_truncate(sqlite3_file* f, sqlite3_int64 size) {
  return inner(f)->pMethods->xTruncate(inner(f), size);
}
int shim_sync(sqlite3_file* f, int flags) {
  while (!g_stall_file.empty() && ::access(g_stall_file.c_str(), F_OK) == 0) {
    ::usleep(2000);  // the fsync of a disk that takes its time: done once the file is gone
  }
  if (!g_fault_file.empty() && ::access(g_fault_file.c_str(), F_OK) == 0) {
    return SQLITE_IOERR_FSYNC;  // as when fsync() returned EIO
  }
  return inner(f)->pMethods->xSync(inner(f), flags);
}
int shim_file_size(sqlite3_file* f, sqlite3_int64* size) {
  return inner(f)->pMethods->xFileSize(inner(f), size);
}
int shim_lock(sqlite3_file* f, int level) { return inner(f)->pMethods->xLock(inner(f), level); }
int shim_unlock(sqlite3_file* f, int level) {
  return inner(f)->pMethods->xUnlock(inner(f), level);
}
int shim_check_reserved(sqlite3_file* f, int* out) {
  return inner(f)->pMethods->xCheckReservedLock(inner(f), out);
}
int shim_file_control(sqlite3_file* f, int op, void* arg) {
  return inner(f)->pMethods->xFileControl(inner(f), op, arg);
}
int shim_sector_size(sqlite3_file* f) { return inner(f)->pMethods->xSectorSize(inner(f)); }
int shim_device_characteristics(sqlite3_file* f) {
  return inner(f)->pMethods->xDeviceCharacteristics(inner(f));
}
int shim_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return inner(f)->pMethods->xShmMap(inner(f), region, size, extend, out);
}
int shim_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return inner(f)->pMethods->xShmLock(inner(f), offset, n, flags);
}
void shim_shm_barrier(sqlite3_file* f) { inner(f)->pMethods->xShmBarrier(inner(f)); }
int shim_shm_unmap(sqlite3_file* f, int delete_flag) {
  return inner(f)->pMethods->xShmUnmap(inner(f), delete_flag);
}
int shim_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return inner(f)->pMethods->xFetch(inner(f), off, n, out);
}
int shim_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return inner(f)->pMethods->xUnfetch(inner(f), off, p);
}

const sqlite3_io_methods kShimMethods = {
    3,           shim_close,         shim_read,      shim_write,
    shim_truncate, shim_sync,        shim_file_size, shim_lock,
    shim_unlock, shim_check_reserved, shim_file_control, shim_sector_size,
    shim_device_characteristics, shim_shm_map, shim_shm_lock, shim_shm_barrier,
    shim_shm_unmap, shim_fetch,      shim_unfetch};

int shim_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<ShimFile*>(f);
  shim->inner = reinterpret_cast<sqlite3_file*>(shim + 1);
  shim->base.pMethods = nullptr;
  const int rc = g_inner->xOpen(g_inner, name, shim->inner, flags, out_flags);
  if (shim->inner->pMethods != nullptr) {
    shim->base.pMethods = &kShimMethods;  // the inner file is open: closing must reach it
  }
  return rc;
}

// The VFS-level methods go straight to the default VFS (its pAppData and all).
int shim_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_inner->xDelete(g_inner, name, sync_dir);
}
int shim_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_inner->xAccess(g_inner, name, flags, out);
}
int shim_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_inner->xFullPathname(g_inner, name, n, out);
}
void* shim_dl_open(sqlite3_vfs*, const char* name) { return g_inner->xDlOpen(g_inner, name); }
void shim_dl_error(sqlite3_vfs*, int n, char* out) { g_inner->xDlError(g_inner, n, out); }
void (*shim_dl_sym(sqlite3_vfs*, void* h, const char* sym))() {
  return g_inner->xDlSym(g_inner, h, sym);
}
void shim_dl_close(sqlite3_vfs*, void* h) { g_inner->xDlClose(g_inner, h); }
int shim_randomness(sqlite3_vfs*, int n, char* out) { return g_inner->xRandomness(g_inner, n, out); }
int shim_sleep(sqlite3_vfs*, int us) { return g_inner->xSleep(g_inner, us); }
int shim_current_time(sqlite3_vfs*, double* out) { return g_inner->xCurrentTime(g_inner, out); }
int shim_last_error(sqlite3_vfs*, int n, char* out) {
  return g_inner->xGetLastError(g_inner, n, out);
}
int shim_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_inner->xCurrentTimeInt64(g_inner, out);
}

sqlite3_vfs g_shim{};

}  // namespace

void install_fault_vfs_if_asked() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* fsync_fault = std::getenv("AWARED_TEST_FSYNC_FAULT");
    const char* full_fault = std::getenv("AWARED_TEST_DISK_FULL");
    const char* stall = std::getenv("AWARED_TEST_SYNC_STALL");
    g_fault_file = fsync_fault != nullptr ? fsync_fault : "";
    g_full_file = full_fault != nullptr ? full_fault : "";
    g_stall_file = stall != nullptr ? stall : "";
    if (g_fault_file.empty() && g_full_file.empty() && g_stall_file.empty()) {
      return;
    }
    g_inner = sqlite3_vfs_find(nullptr);
    if (g_inner == nullptr) {
      return;
    }
    g_shim.iVersion = 2;
    g_shim.szOsFile = static_cast<int>(sizeof(ShimFile)) + g_inner->szOsFile;
    g_shim.mxPathname = g_inner->mxPathname;
    g_shim.zName = "awared-test-fsync-fault";
    g_shim.xOpen = shim_open;
    g_shim.xDelete = shim_delete;
    g_shim.xAccess = shim_access;
    g_shim.xFullPathname = shim_full_pathname;
    g_shim.xDlOpen = shim_dl_open;
    g_shim.xDlError = shim_dl_error;
    g_shim.xDlSym = shim_dl_sym;
    g_shim.xDlClose = shim_dl_close;
    g_shim.xRandomness = shim_randomness;
    g_shim.xSleep = shim_sleep;
    g_shim.xCurrentTime = shim_current_time;
    g_shim.xGetLastError = shim_last_error;
    g_shim.xCurrentTimeInt64 = shim_current_time_int64;
    sqlite3_vfs_register(&g_shim, 1);
  });
}

}  // namespace aware::store
