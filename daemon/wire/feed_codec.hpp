// feed_codec.hpp — the PAC operator's and the case workers' feeds (proto/feeds.proto in
// protobuf's JSON mapping): alerts and notices to JSON text frames, PAC requests from JSON.
// Sans-I/O. Frames come without `seq`; the console session stamps it (seq_prefix).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

#include "core/alert.hpp"

namespace aware::wire {

std::string encode_alert_snapshot(const std::vector<const core::Alert*>& alerts,
                                  core::TimeMs server_time_ms);
std::string encode_alert_update(const core::Alert& alert);

std::string encode_notice_backlog(const std::vector<core::Notice>& notices,
                                  core::TimeMs server_time_ms);
std::string encode_notice(const core::Notice& notice);
// A notice as the webhook POSTs it: the Notice message alone, as JSON.
std::string encode_notice_body(const core::Notice& notice);

struct AcknowledgeAlertRequest {
  std::int64_t alert_id = 0;
  std::string operator_name;
};
struct ResolveAlertRequest {
  std::int64_t alert_id = 0;
  std::string operator_name;
};
using PacRequest = std::variant<AcknowledgeAlertRequest, ResolveAlertRequest>;

// Parses and validates one PAC console message; the error text is for a ConsoleError back.
// Never throws.
tl::expected<PacRequest, std::string> decode_pac_request(std::string_view json);

}  // namespace aware::wire
