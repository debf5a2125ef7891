// netns.cpp — see netns.hpp.
#include "netns.hpp"

#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace aware::reliability {

namespace {

bool runs(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

std::optional<std::string> enter_private_netns() {
  if (::geteuid() != 0) {
    return "not running as root (needs CAP_NET_ADMIN for a network namespace and nftables)";
  }
  if (!runs("command -v ip") || !runs("command -v nft")) {
    return "the ip (iproute2) or nft (nftables) program is missing";
  }
  if (::unshare(CLONE_NEWNET) != 0) {
    return "unshare(CLONE_NEWNET) failed: no network namespaces here";
  }
  if (!runs("ip link set lo up")) {
    return "cannot bring up the loopback interface in the new namespace";
  }
  if (!runs("nft list ruleset")) {
    return "nft cannot reach nf_tables in this kernel";
  }
  return std::nullopt;
}

void nft(const std::string& ruleset) {
  FILE* pipe = ::popen("nft -f -", "w");
  if (pipe == nullptr) {
    throw std::runtime_error("cannot run nft");
  }
  std::fputs(ruleset.c_str(), pipe);
  if (::pclose(pipe) != 0) {
    throw std::runtime_error("nft refused the ruleset:\n" + ruleset);
  }
}

}  // namespace aware::reliability
