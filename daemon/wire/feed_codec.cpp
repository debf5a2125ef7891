// feed_codec.cpp — domain alerts and notices ↔ aware.v1 feed messages ↔ JSON.
#include "wire/feed_codec.hpp"

#include <charconv>

#include "feeds.pb.h"
#include "wire/json_print.hpp"
#include "wire/meldkamer_codec.hpp"

namespace aware::wire {
namespace {

void fill_alert(v1::Alert& out, const core::Alert& in) {
  out.set_id(std::to_string(in.id));
  out.set_kind(in.kind);
  out.set_severity(static_cast<v1::AlertSeverity>(static_cast<int>(in.severity)));
  out.set_state(static_cast<v1::AlertState>(static_cast<int>(in.state)));
  out.set_device_id(in.device_id);
  out.set_client_id(in.client_id);
  out.set_incident_id(in.incident_id ? core::incident_label(*in.incident_id) : std::string{});
  out.set_detail(in.detail);
  out.set_opened_ms(in.opened_ms);
  out.set_acknowledged_ms(in.acked_ms);
  out.set_acknowledged_by(in.acked_by);
  out.set_resolved_ms(in.resolved_ms);
  out.set_resolved_by(in.resolved_by);
}

void fill_notice(v1::Notice& out, const core::Notice& in) {
  out.set_id(std::to_string(in.id));
  out.set_client_id(in.client_id);
  out.set_event(in.event);
  out.set_state(in.state);
  out.set_at_ms(in.at_ms);
  out.set_incident_id(in.incident_id ? core::incident_label(*in.incident_id) : std::string{});
}

tl::expected<std::int64_t, std::string> check_alert(const std::string& id,
                                                    const std::string& who) {
  std::int64_t value = 0;
  const char* end = id.data() + id.size();
  auto [p, ec] = std::from_chars(id.data(), end, value);
  if (id.empty() || ec != std::errc{} || p != end || value <= 0) {
    return tl::make_unexpected("alertId: not an alert id (a positive decimal number)");
  }
  if (who.empty() || who.size() > kMaxNameBytes) {
    return tl::make_unexpected("operatorName: required, at most 128 bytes");
  }
  return value;
}

}  // namespace

std::string encode_alert_snapshot(const std::vector<const core::Alert*>& alerts,
                                  core::TimeMs server_time_ms) {
  v1::PacFeed feed;
  auto* snap = feed.mutable_snapshot();
  for (const auto* a : alerts) {
    fill_alert(*snap->add_alerts(), *a);
  }
  snap->set_server_time_ms(server_time_ms);
  return detail::feed_json(feed);
}

std::string encode_alert_update(const core::Alert& alert) {
  v1::PacFeed feed;
  fill_alert(*feed.mutable_update()->mutable_alert(), alert);
  return detail::feed_json(feed);
}

std::string encode_notice_backlog(const std::vector<core::Notice>& notices,
                                  core::TimeMs server_time_ms) {
  v1::NoticeFeed feed;
  auto* backlog = feed.mutable_backlog();
  for (const auto& n : notices) {
    fill_notice(*backlog->add_notices(), n);
  }
  backlog->set_server_time_ms(server_time_ms);
  return detail::feed_json(feed);
}

std::string encode_notice(const core::Notice& notice) {
  v1::NoticeFeed feed;
  fill_notice(*feed.mutable_notice(), notice);
  return detail::feed_json(feed);
}

std::string encode_notice_body(const core::Notice& notice) {
  v1::Notice msg;
  fill_notice(msg, notice);
  return detail::to_json(msg);
}

tl::expected<PacRequest, std::string> decode_pac_request(std::string_view json) {
  v1::PacRequest msg;
  std::string error;
  if (!detail::from_json(json, msg, "not a PacRequest: ", error)) {
    return tl::make_unexpected(error);
  }
  switch (msg.body_case()) {
    case v1::PacRequest::kAcknowledge: {
      auto id = check_alert(msg.acknowledge().alert_id(), msg.acknowledge().operator_name());
      if (!id) {
        return tl::make_unexpected(id.error());
      }
      return AcknowledgeAlertRequest{*id, msg.acknowledge().operator_name()};
    }
    case v1::PacRequest::kResolve: {
      auto id = check_alert(msg.resolve().alert_id(), msg.resolve().operator_name());
      if (!id) {
        return tl::make_unexpected(id.error());
      }
      return ResolveAlertRequest{*id, msg.resolve().operator_name()};
    }
    case v1::PacRequest::BODY_NOT_SET:
      break;
  }
  return tl::make_unexpected("no request set (expected acknowledge or resolve)");
}

}  // namespace aware::wire
