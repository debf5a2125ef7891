# Every dependency comes from a Debian 12 package and is found here; nothing is downloaded.
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)                 # Asio and Beast (header-only)
find_package(Protobuf REQUIRED)                   # libprotobuf-dev, protobuf-compiler
find_package(SQLite3 REQUIRED)                    # libsqlite3-dev
find_package(spdlog REQUIRED)                     # libspdlog-dev
find_package(tomlplusplus REQUIRED)               # libtomlplusplus-dev
find_package(nlohmann_json 3.10 REQUIRED)         # nlohmann-json3-dev
find_package(tl-expected REQUIRED)               # libexpected-dev
find_package(OpenSSL REQUIRED)                    # libssl-dev
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)   # libsystemd-dev: sd_notify
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)     # libsodium-dev: argon2id, SHA-256 (audit)
find_package(benchmark REQUIRED)                  # libbenchmark-dev: bench/
# libgeographiclib-dev ships a find module, not a config file. Only the tests use it (as the
# geodesic oracle for our local-plane distances).
list(APPEND CMAKE_MODULE_PATH /usr/share/cmake/geographiclib)
find_package(GeographicLib REQUIRED)
