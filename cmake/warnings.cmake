# aware_warnings: strict warnings for our own targets. Generated code links aware_relaxed instead.
add_library(aware_warnings INTERFACE)
target_compile_options(aware_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
  -Wno-sign-conversion -Wno-missing-field-initializers -Werror
  # GCC 12 misreads Asio's awaitable frame allocator as a new/delete mismatch (a false positive).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>)
add_library(aware_relaxed INTERFACE)
target_compile_options(aware_relaxed INTERFACE -w)
