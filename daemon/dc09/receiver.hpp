// receiver.hpp — the DC-09 receiver's pure core: one frame body in (the bytes between LF and
// CR, from FrameSplitter or a UDP datagram), the reply bytes and what to hand on out.
//
// Steps: read the header (a frame whose CRC fails either way is silently dropped), look up the
// account's settings, check CRC and length under its quirks, open the content (decrypting with
// the account's key), interpret it (events.hpp), decide the reply (response.hpp), and for a
// delivered message that is not a NULL heartbeat, ask Dedup whether it is a retransmission.
// The caller sends `reply` only once a delivered message is stored durably; if storing fails it
// sends nothing and calls delivery_failed(), and the transmitter retries.
// The net layer (to do) owns the sockets; the app layer feeds delivered messages into the
// activation pipeline and NULLs into supervision.
// Not thread-safe: one Receiver per listener, used from one strand. No I/O; the time and the
// random source are injected.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "dc09/account.hpp"
#include "dc09/dedup.hpp"
#include "dc09/events.hpp"
#include "dc09/response.hpp"

namespace aware::dc09 {

struct Received {
  Decision decision;                 // reply kind, reason, whether to deliver
  std::string reply;                 // the bytes to send back (LF..CR), empty for none
  std::optional<Frame> frame;        // the header, when it could be read
  std::optional<Content> content;    // the clear content, when it could be read
  std::optional<Error> error;        // the parse / integrity / decryption problem, if any
  Interpretation meaning;            // events and extended data
  std::optional<Digest> digest;      // the dedup digest of a delivered message
};

class Receiver {
 public:
  // The settings of an account (hex digits as sent), or nullptr for an unknown account, which
  // then gets `fallback` (no key: its encrypted messages cannot be opened).
  using AccountLookup = std::function<const AccountConfig*(std::string_view account)>;

  Receiver(AccountLookup accounts, AccountConfig fallback, RandomBytes random,
           Dedup dedup = Dedup{})
      : accounts_{std::move(accounts)},
        fallback_{std::move(fallback)},
        random_{std::move(random)},
        dedup_{std::move(dedup)} {}

  // Handles one frame body received at `now` (receiver UTC, ms since the epoch).
  Received on_frame(std::string_view body, core::TimeMs now);

  // For a delivered message that could not be stored (and so must not be acked): forgets it,
  // so that the transmitter's retransmission is delivered again instead of counted a duplicate.
  void delivery_failed(const Received& received);

 private:
  const AccountConfig& account_for(std::string_view account) const;

  AccountLookup accounts_;   // per-account settings
  AccountConfig fallback_;   // for accounts the lookup does not know
  RandomBytes random_;       // pad of encrypted ACKs
  Dedup dedup_;              // retransmission window
};

}  // namespace aware::dc09
