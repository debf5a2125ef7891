// floors.hpp — the floors bench/e2e reports next to awared's figures, measured in the same run:
// what one loopback TCP round trip and one fdatasync cost on this machine. An Ack can never come
// faster than a round trip plus the commit's fdatasync.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace aware::bench::e2e {

// Round trips of a 64-byte message to an echo thread over loopback TCP (TCP_NODELAY), in ns.
std::vector<std::int64_t> tcp_round_trips(int count);

// 4 KiB overwrites + fdatasync in a file in `dir` (cycling through 8 MiB, like a reused WAL), in
// ns per fdatasync.
std::vector<std::int64_t> fdatasyncs(const std::filesystem::path& dir, int count);

}  // namespace aware::bench::e2e
