// account.hpp — the per-account settings of the DC-09 receiver: the AES key (if the account's
// transmitter encrypts), the timestamp window and the transmitter's framing quirks. Built once
// from the config (keys checked by make_key()) and passed by const&.
#pragma once

#include <optional>

#include "dc09/crypto.hpp"
#include "dc09/frame.hpp"

namespace aware::dc09 {

struct AccountConfig {
  std::optional<Key> key;    // set: encrypted messages from this account can be opened
  int window_past_s = 40;    // a message timestamp may lag the receiver's clock this much
  int window_future_s = 20;  // ... and lead it this much (encrypted messages only)
  Quirks quirks;             // CRC including CR, decimal length, lenient length
};

}  // namespace aware::dc09
