# Use ccache when it is installed: rebuilds on a two-core machine are much faster. A launcher
# given on the command line (-DCMAKE_CXX_COMPILER_LAUNCHER=…) wins.
find_program(AWARE_CCACHE ccache)
if(AWARE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${AWARE_CCACHE})
endif()
