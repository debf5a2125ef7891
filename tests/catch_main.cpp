// The one Catch2 main for every test executable, compiled once to keep rebuilds short.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
