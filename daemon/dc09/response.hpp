// response.hpp — the receiver's answers (ACK, NAK, DUH) and the rule that picks one.
//
//   ACK  echoes the message's sequence, receiver (R), line prefix (L) and account (#), with
//        empty data "[]". An encrypted message gets an encrypted ACK ("*ACK", the account's
//        key, random pad) whose clear text carries the receiver's UTC timestamp; a plain ACK
//        carries none (the standard makes it optional there).
//   NAK  "NAK"0000R0L0A0[]_<receiver UTC time>, never encrypted: the answer to an encrypted
//        message whose timestamp is missing or outside the account's window (default 40 s
//        behind to 20 s ahead of the receiver's clock). The transmitter sets its clock from it
//        and sends again.
//   DUH  echoes like a plain ACK, for a message that cannot be processed and is no alarm.
//   none a frame that fails its CRC or length check, a header that cannot be read, or an
//        encrypted message that cannot be opened (no key, bad cipher text): nothing is sent,
//        so the transmitter retries and fails over to its other path. An unopened message
//        might be a panic, and DUH would make the transmitter drop it.
//
// A parsable panic is never DUH'd: when any event is an activation the message is acked and
// delivered, even if other parts (extended data, timestamp) cannot be read; the raw text
// travels with it. Pure: the time and the random source are passed in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"
#include "dc09/account.hpp"
#include "dc09/content.hpp"
#include "dc09/crypto.hpp"
#include "dc09/events.hpp"
#include "dc09/frame.hpp"

namespace aware::dc09 {

enum class Reply { none, ack, nak, duh };

// Why the decision came out as it did (for logs, counters and tests).
enum class Reason {
  accepted,           // ACK, delivered
  duplicate,          // ACK, not delivered again (set by the receiver's dedup step)
  alarm_partly_read,  // ACK, delivered: an alarm whose extended data or timestamp was unreadable
  bad_integrity,      // none: CRC or length check failed
  malformed,          // none: a CRC-valid frame whose header cannot be read
  undecryptable,      // none: encrypted, and no key or the cipher text does not open
  timestamp_missing,  // NAK: an encrypted message without a timestamp
  timestamp_window,   // NAK: an encrypted message outside the window
  unprocessable,      // DUH: no alarm, and its data cannot be read (or an unknown ID token)
};
std::string_view to_string(Reason r);
std::string_view to_string(Reply r);

// The message parts decide() looks at, all already parsed.
struct Inbound {
  const Frame& frame;                                // header, integrity already checked
  const tl::expected<Content, Error>& content;       // clear content, or why it failed
  const Interpretation& meaning;                     // interpret() of the (salvaged) content
};

struct Decision {
  Reply reply = Reply::none;
  Reason reason = Reason::accepted;
  bool deliver = false;  // hand the message on (activation pipeline / supervision)
};

// The reply for a message whose header was read and whose integrity held. `now` is the
// receiver's UTC time. Does not look at duplicates (the receiver does, for delivered ones).
Decision decide(const Inbound& in, const AccountConfig& account, core::TimeMs now);

// The bytes to send for `reply` to `frame` (empty for Reply::none), framed under the
// account's quirks. `random` is used only for an encrypted ACK.
std::string build_reply(Reply reply, const Frame& frame, const AccountConfig& account,
                        core::TimeMs now, const RandomBytes& random);

// The individual messages (from the opening quote up to before CR, unframed).
std::string ack_message(const Frame& frame);                       // plain
std::string encrypted_ack_message(const Frame& frame, const Key& key, core::TimeMs now,
                                  const RandomBytes& random);
std::string nak_message(core::TimeMs now);
std::string duh_message(const Frame& frame);

}  // namespace aware::dc09
