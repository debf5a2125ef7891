# allocator.cmake — the awared executable allocates through jemalloc (libjemalloc-dev) instead
# of glibc's malloc. awared's network thread frees much of what its store thread allocates (and
# back); glibc's per-thread arenas then meet on one arena lock, which cost about a fifth of the
# closed-loop throughput (docs/performance.md, "The allocator"). Only the daemon is linked with
# it: the libraries, tests and tools keep glibc's. Sanitizer and fuzz builds keep the allocator
# their runtime brings (ASan and TSan replace malloc themselves).
if(AWARE_SANITIZE OR AWARE_FUZZ)
  set(AWARE_JEMALLOC OFF)
else()
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  set(AWARE_JEMALLOC ON)
endif()
