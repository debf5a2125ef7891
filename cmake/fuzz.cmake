# fuzz.cmake — libFuzzer harnesses (tests/fuzz/, docs/reliability.md). AWARE_FUZZ=ON needs clang
# (Debian 12: clang-14 and libclang-rt-14-dev for the fuzzer, ASan and UBSan runtimes) and is
# meant for a build folder of its own (./dev fuzz uses build-fuzz): every target is compiled with
# coverage instrumentation and ASan + UBSan; only the harnesses and the libraries they need are
# built there. The normal build never sees any of this.
option(AWARE_FUZZ "Build the libFuzzer harnesses (clang only; a separate build folder)" OFF)
if(AWARE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "AWARE_FUZZ=ON needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
  endif()
  # Instrument everything (our libraries too) for coverage and the sanitizers; the harness
  # executables add libFuzzer's main (tests/fuzz/CMakeLists.txt). UBSan findings abort, so a
  # report is a crash that libFuzzer records.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()
