# Use ccache when it is installed: rebuilds on a two-core machine are much faster.
find_program(AWARE_CCACHE ccache)
if(AWARE_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${AWARE_CCACHE})
endif()
