// types.hpp — the domain types every stage shares: activations, positions, match results and
// incidents. Plain values with no behaviour beyond naming; the stages own the logic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/registry.hpp"

namespace aware::core {

using TimeMs = std::int64_t;  // milliseconds since the Unix epoch

enum class FixSource { none, gps, network };

// A validated WGS84 position fix with its quality.
struct GeoFix {
  double lat = 0;                  // degrees, -90..90
  double lon = 0;                  // degrees, -180..180
  float accuracy_m = 0;            // confidence radius in metres, >= 0
  TimeMs fix_time_ms = 0;          // when the fix was taken (device clock)
  FixSource source = FixSource::none;
  TimeMs received_ms = 0;          // when awared received it
  bool operator==(const GeoFix&) const = default;
};

enum class AudioKind { none, phone, sip, stream };

struct AudioChannel {
  AudioKind kind = AudioKind::none;
  std::string address;             // phone number or URI
  std::string codec;               // may be empty
  bool operator==(const AudioChannel&) const = default;
};

enum class Trigger { alarm, test, cancel };

// Identifies one device message: a retransmission carries the same key.
struct MessageKey {
  std::string device_id;
  std::uint32_t boot_epoch = 0;
  std::uint64_t seq = 0;
  bool operator==(const MessageKey&) const = default;
};

// A validated button activation as ingest hands it on.
struct Activation {
  MessageKey key;
  TimeMs device_time_ms = 0;       // device clock at the press
  TimeMs received_ms = 0;          // awared clock at receipt
  Trigger trigger = Trigger::alarm;
  std::optional<GeoFix> fix;       // absent when none was sent or it was invalid
  bool fix_invalid = false;        // a fix was sent but failed validation and was dropped
  std::optional<AudioChannel> audio;
  std::uint32_t battery_pct = 0;
};

enum class Priority { spoed = 1, technisch = 2, test = 3 };
enum class IncidentState { created = 1, delivered = 2, accepted = 3, closed = 4 };

// Facts a centralist must notice; values match aware.v1.IncidentFlag.
enum class Flag {
  unknown_device = 1,
  no_position = 2,
  invalid_position = 3,
  contract_expired = 4,
  contract_not_yet = 5,
  no_aop = 6,
  cancel_requested = 7,
  device_restarted = 8,
  repeated_activation = 9,
  escalated = 10,
  test_outside_window = 11,
  sequence_regressed = 12,
  clock_skew = 13,
};

// What a centralist reads about the AOP. match() fills the id and the period; the descriptive
// fields are filled by match::describe() once the incident is built (off the timed path).
struct AopInfo {
  std::string aop_id;
  std::string client_name;
  std::string signalement;
  std::string pleger;
  std::string case_worker;
  std::string valid_from;          // ISO date
  std::string valid_until;         // ISO date
  std::vector<std::string> photo_refs;  // references to photos held elsewhere, as registered
                                        // (never the images; never fetched by awared)
  bool operator==(const AopInfo&) const = default;
};

// An AOL a fix is in or near. match() fills aol_id, distance_m and inside; label, address and
// instructions are filled by match::describe().
struct AolHit {
  std::string aol_id;
  std::string label;
  std::string address;
  std::string instructions;
  double distance_m = 0;           // from the fix to the zone's edge, 0 when inside the zone
  bool inside = false;             // the zone widened by the fix's accuracy contains the fix
  bool operator==(const AolHit&) const = default;
};

// The shape of a hit AOL's zone, for the centralist's map: a circle around (lat, lon), or the
// polygon. match() leaves it out (the timed path copies no geometry); match::describe() adds
// one per hit in MatchResult::aol_zones.
struct AolZone {
  std::string aol_id;              // the hit's AOL
  double lat = 0;                  // the AOL's reference point (the circle's centre)
  double lon = 0;
  double radius_m = 0;             // the circle's radius; 0 when `polygon` is set
  std::optional<Polygon> polygon;  // the polygon zone instead of the circle
  bool operator==(const AolZone&) const = default;
};

// The state of the AOP behind a device at the time of an activation.
enum class AopState { active, expired, not_yet_valid, no_aop, unknown_device };
// What decided the responsible region.
enum class RegionSource { fix, home_region, default_desk };

// What matching found for an activation. Never "nothing": an unknown device still has a region.
struct MatchResult {
  std::string client_id;           // empty for an unknown device
  AopState aop_state = AopState::unknown_device;
  RegionSource region_source = RegionSource::default_desk;
  std::optional<AopInfo> aop;
  std::vector<AolHit> aols;        // inside first, then near; own first, then by distance
  std::vector<AolZone> aol_zones;  // the zones of `aols` (same order), added by describe();
                                   // empty after match()
  std::string region;              // responsible meldkamer region
  std::vector<Flag> flags;
  bool operator==(const MatchResult&) const = default;
};

// One incident as the dispatch stage and the consoles see it.
// A note a centralist wrote on an incident while handling it (core/incident_note.hpp).
struct IncidentNote {
  std::string author;              // the signed-in user who wrote it
  TimeMs at_ms = 0;                // when it was stored
  std::string text;                // checked by core::note_text()
  bool operator==(const IncidentNote&) const = default;
};

struct Incident {
  std::int64_t id = 0;             // store row id, stable across restarts
  Priority priority = Priority::spoed;
  IncidentState state = IncidentState::created;
  TimeMs received_ms = 0;
  MessageKey key;                  // the activation that opened it
  MatchResult match;
  std::optional<GeoFix> position;
  std::vector<GeoFix> track;       // later positions while open, oldest first (at most
                                   // kMaxTrackPositions, the latest)
  std::optional<AudioChannel> audio;
  std::uint32_t battery_pct = 0;
  std::vector<Flag> flags;         // match flags plus activation flags
  std::uint32_t activation_count = 1;
  std::string accepted_by;
  std::string outcome;
  std::vector<IncidentNote> notes; // oldest first (at most kMaxNotesPerIncident)
  std::string listen_in_by;        // who last opened meeluisteren, empty when nobody did
  TimeMs listen_in_ms = 0;         // when (0 when nobody did)
  bool to_fallback = false;        // escalated: also sent to the fallback region's consoles
  bool operator==(const Incident&) const = default;
};

// What a stored activation did to its device's incidents (see store::Repository).
enum class ActivationEffect {
  opened,          // a new incident (an alarm with nothing to join, or a proefmelding)
  repeated,        // an alarm joined the device's open incident (herhaalde activatie)
  reopened,        // an alarm joined an incident closed less than merge_window ago: open again
  cancel_flagged,  // a cancel flagged the device's open incident CANCEL_REQUESTED
  cancel_alone,    // a cancel with no open incident: stored without an incident
};

// The longest track an incident carries to the consoles; older positions stay in the store.
inline constexpr std::size_t kMaxTrackPositions = 1000;

// Text forms used in logs, the store and the wire's JSON.
std::string_view to_string(FixSource v);
std::string_view to_string(AudioKind v);
std::string_view to_string(Trigger v);
std::string_view to_string(IncidentState v);
std::optional<FixSource> fix_source_from(std::string_view s);
std::optional<AudioKind> audio_kind_from(std::string_view s);

// "M-000042": how an incident id is shown to people and in the console protocol.
std::string incident_label(std::int64_t id);
// Parses incident_label()'s form back; nullopt for anything else.
std::optional<std::int64_t> incident_id_from(std::string_view label);

}  // namespace aware::core
