# sanitizers.cmake — AWARE_SANITIZE=address or thread builds everything the project builds (the
# daemon, its libraries, the tools, the simulator, the tests and the benchmarks) with GCC's
# sanitizers, for a build folder of its own (./dev test --asan uses build-asan, --tsan
# build-tsan; docs/reliability.md, "Sanitizers"):
#   address  AddressSanitizer (with LeakSanitizer) + UndefinedBehaviorSanitizer; a UBSan finding
#            aborts the process instead of printing and going on
#   thread   ThreadSanitizer (cannot be combined with ASan)
# Empty (the default) builds without sanitizers. The runtime options (halt on error, leak
# checks, suppressions) come from the environment, which ./dev sets.
set(AWARE_SANITIZE "" CACHE STRING "Sanitizer build: empty, address (ASan + UBSan) or thread (TSan)")
set_property(CACHE AWARE_SANITIZE PROPERTY STRINGS "" address thread)
if(AWARE_SANITIZE STREQUAL "address")
  set(_aware_san_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined)
elseif(AWARE_SANITIZE STREQUAL "thread")
  set(_aware_san_flags -fsanitize=thread)
elseif(AWARE_SANITIZE)
  message(FATAL_ERROR "AWARE_SANITIZE must be empty, address or thread (got '${AWARE_SANITIZE}')")
endif()
if(AWARE_SANITIZE)
  if(AWARE_FUZZ)
    message(FATAL_ERROR "AWARE_SANITIZE and AWARE_FUZZ are separate builds (the fuzz build has ASan + UBSan)")
  endif()
  # Line tables only (-g1), enough for readable stacks. ASan + UBSan builds with -Og: UBSan's
  # checks made GCC 12 take 132 s at -O1 for the heaviest Beast file, 81 s at -Og, and CI
  # builds everything under ASan once more (docs/reliability.md, "Sanitizers"). TSan keeps -O1,
  # which its documentation asks for. Later flags win over CMAKE_CXX_FLAGS_<CONFIG>.
  if(AWARE_SANITIZE STREQUAL "address")
    set(_aware_san_opt -Og)
  else()
    set(_aware_san_opt -O1)
  endif()
  add_compile_options(${_aware_san_flags} -fno-omit-frame-pointer ${_aware_san_opt} -g1)
  add_link_options(${_aware_san_flags})
  # Two warnings that -Werror (aware_warnings, warnings.cmake) must not turn into errors here:
  # the sanitizers' instrumentation makes GCC 12 report -Wmaybe-uninitialized inside libstdc++
  # (std::function in std::regex, which Catch2 uses) where nothing is uninitialized, and GCC warns
  # (-Wtsan) that TSan does not model the std::atomic_thread_fence in Asio's headers.
  target_compile_options(aware_warnings INTERFACE -Wno-maybe-uninitialized
    $<$<STREQUAL:${AWARE_SANITIZE},thread>:-Wno-tsan>)
endif()
