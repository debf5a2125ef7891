// events.hpp — what a DC-09 message means for awared: its SIA or Contact ID event codes mapped to
// activation / test / technical, NULL as a heartbeat, and the extended data awared uses
// ([X]/[Y] position, [V] audio verification reference, [H] event time, [I] text).
//
// SIA-DCS data:  [#acct|Nri1/PA501]  — after the account (optional) and '|', 'N' (new) or 'O'
//   (old) then blocks separated by '/' or '|': two lower-case letters are a modifier (ri, id,
//   ti, ...) and skipped; two upper-case letters are an event code, followed by its address.
// ADM-CID data:  [#acct|1120 01 015]  — qualifier (1 new, 3 restore, 6 status), three-digit
//   event, two-digit group, three-digit zone; spaces optional.
//
// Mapping (known codes; DOMAIN.md):
//   SIA PA panic, HA holdup/duress → activation; RX manual test, RP periodic test → test;
//   YT/YR battery trouble/restore, YC/YK communication fail/restore, PR/HR panic/duress
//   restoral → technical.
//   CID 120 panic, 121 duress, 122 silent panic → activation; 601 manual test, 602 periodic
//   test → test; 302/309 battery, 350 communication → technical. A restore (qualifier 3) of
//   an activation code is technical, never a new activation.
// Any other code that is an alarm by its form — a SIA code ending in 'A' (not 'TA' tamper),
// a new CID event 100-199 — counts as an activation with `known = false`: an alarm is never
// dropped for being unfamiliar. Other unknown codes are `unknown`.
// Pure; no state. Bytes are kept raw (Windows-1252 text passes through).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "dc09/content.hpp"
#include "dc09/location.hpp"

namespace aware::dc09 {

enum class Category { activation, test, technical, heartbeat, unknown };

// A stable lower-case name, e.g. "activation".
std::string_view to_string(Category c);

// More event codes than this in one message are ignored (the rest stays in the raw data).
inline constexpr std::size_t kMaxEvents = 16;

struct Event {
  std::string code;       // "PA" (SIA) or "120" (Contact ID)
  std::string address;    // SIA zone/user digits, or CID zone ("015"); may be empty
  bool restore = false;   // a restoral (CID qualifier 3)
  Category category = Category::unknown;
  bool known = false;     // the code is in the mapping above (not only alarm-like by form)
};

struct Interpretation {
  std::vector<Event> events;          // in the order sent, at most kMaxEvents
  bool data_readable = true;          // the data part followed its protocol's form
  Location location;                  // from [X]/[Y]
  std::optional<std::string> audio_ref;   // [V]: the verification (listen-in) reference, raw
  std::optional<core::TimeMs> event_time; // [H], when readable as HH:MM:SS,MM-DD-YYYY
  std::string event_time_text;        // [H] as received
  std::optional<std::string> text;    // [I], raw bytes
  // The message's overall category: heartbeat for NULL; else the most urgent of its events
  // (activation > technical > test); unknown when it has none it understands.
  Category category = Category::unknown;
  // True when any event is an activation: such a message is never answered with DUH.
  [[nodiscard]] bool is_alarm() const { return category == Category::activation; }
};

// Interprets a message with ID `token` ("SIA-DCS", "ADM-CID", "NULL") and clear `content`.
Interpretation interpret(std::string_view token, const Content& content);

// The category of one SIA code ("PA") or of one CID event ("120" with its qualifier).
Category sia_category(std::string_view code, bool& known);
Category cid_category(std::string_view event, char qualifier, bool& known);

// The communication-fail report a message carries: true for a fail (SIA YC, CID 350 new event),
// false for its restore (SIA YK, CID 350 restore), nullopt for neither. With several, the last
// one sent counts.
std::optional<bool> comm_failure(const Interpretation& m);

}  // namespace aware::dc09
