// netns.hpp — a private network namespace for the tests that drop packets with nftables
// (test_lossy_network.cpp). The test process moves itself into a new, empty network namespace
// with only a loopback interface; awared, the fleet and the consoles it starts afterwards run
// there too, so the nftables rules touch nothing outside the test.
//
// Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and the `ip` (iproute2) and `nft` (nftables)
// programs; without them enter_private_netns() says why and the test skips.
#pragma once

#include <optional>
#include <string>

namespace aware::reliability {

// Moves the calling thread (call it before starting any thread or child) into a fresh network
// namespace and brings its loopback up. nullopt on success, else why it could not.
std::optional<std::string> enter_private_netns();

// Loads an nftables ruleset (`nft -f -`) in the current namespace; throws when nft fails.
void nft(const std::string& ruleset);

}  // namespace aware::reliability
