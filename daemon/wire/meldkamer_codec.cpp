// meldkamer_codec.cpp — domain ↔ aware.v1 console messages ↔ JSON.
#include "wire/meldkamer_codec.hpp"

#include <cassert>

#include <google/protobuf/util/json_util.h>

#include "core/incident_note.hpp"
#include "meldkamer.pb.h"
#include "wire/json_print.hpp"

namespace aware::wire {
namespace {

using detail::feed_json;

void fill_position(v1::Position& p, const core::GeoFix& f) {
  p.set_lat(f.lat);
  p.set_lon(f.lon);
  p.set_accuracy_m(f.accuracy_m);
  p.set_fix_time_ms(f.fix_time_ms);
  p.set_source(std::string(core::to_string(f.source)));
  p.set_received_ms(f.received_ms);
}

void fill_ring(v1::ZoneRing& out, const core::Ring& ring) {
  for (const auto& p : ring) {
    auto* point = out.add_points();
    point->set_lat(p.lat);
    point->set_lon(p.lon);
  }
}

// The zone describe() found for hit `i`, if the AOL was still registered (a circle with a
// radius, or a polygon).
void fill_zone(v1::AolHit& hit, const core::MatchResult& match, std::size_t i) {
  if (i >= match.aol_zones.size() || match.aol_zones[i].aol_id != match.aols[i].aol_id) {
    return;
  }
  const auto& z = match.aol_zones[i];
  if (z.radius_m <= 0 && !z.polygon) {
    return;
  }
  auto* zone = hit.mutable_zone();
  zone->set_lat(z.lat);
  zone->set_lon(z.lon);
  zone->set_radius_m(z.radius_m);
  if (z.polygon) {
    fill_ring(*zone->mutable_outer(), z.polygon->outer);
    for (const auto& hole : z.polygon->holes) {
      fill_ring(*zone->add_holes(), hole);
    }
  }
}

void fill_incident(v1::Incident& out, const core::Incident& in) {
  out.set_id(core::incident_label(in.id));
  out.set_priority(static_cast<v1::Priority>(static_cast<int>(in.priority)));
  out.set_state(static_cast<v1::IncidentState>(static_cast<int>(in.state)));
  out.set_received_ms(in.received_ms);
  out.set_device_id(in.key.device_id);
  out.set_boot_epoch(in.key.boot_epoch);
  out.set_seq(in.key.seq);
  out.set_client_id(in.match.client_id);
  if (in.match.aop) {
    const auto& a = *in.match.aop;
    auto* aop = out.mutable_aop();
    aop->set_aop_id(a.aop_id);
    aop->set_client_name(a.client_name);
    aop->set_signalement(a.signalement);
    aop->set_pleger(a.pleger);
    aop->set_case_worker(a.case_worker);
    aop->set_valid_from(a.valid_from);
    aop->set_valid_until(a.valid_until);
    for (const auto& ref : a.photo_refs) {
      aop->add_photo_refs(ref);
    }
  }
  for (std::size_t i = 0; i < in.match.aols.size(); ++i) {
    const auto& h = in.match.aols[i];
    auto* hit = out.add_aols();
    hit->set_aol_id(h.aol_id);
    hit->set_label(h.label);
    hit->set_address(h.address);
    hit->set_instructions(h.instructions);
    hit->set_distance_m(h.distance_m);
    hit->set_inside(h.inside);
    fill_zone(*hit, in.match, i);
  }
  out.set_region(in.match.region);
  if (in.position) {
    fill_position(*out.mutable_position(), *in.position);
  }
  for (const auto& p : in.track) {
    fill_position(*out.add_track(), p);
  }
  if (in.audio) {
    out.mutable_audio()->set_kind(std::string(core::to_string(in.audio->kind)));
    out.mutable_audio()->set_address(in.audio->address);
    out.mutable_audio()->set_codec(in.audio->codec);
  }
  out.set_battery_pct(in.battery_pct);
  for (auto f : in.flags) {
    out.add_flags(static_cast<v1::IncidentFlag>(static_cast<int>(f)));
  }
  out.set_activation_count(in.activation_count);
  out.set_accepted_by(in.accepted_by);
  out.set_outcome(in.outcome);
  for (const auto& n : in.notes) {
    auto* note = out.add_notes();
    note->set_author(n.author);
    note->set_at_ms(n.at_ms);
    note->set_text(n.text);
  }
  out.set_listen_in_by(in.listen_in_by);
  out.set_listen_in_ms(in.listen_in_ms);
}

// A request's incident id ("M-000042") as a number.
tl::expected<std::int64_t, std::string> check_id(const std::string& label) {
  auto id = core::incident_id_from(label);
  if (!id) {
    return tl::make_unexpected("incidentId: not an incident id like M-000042");
  }
  return *id;
}

// Checks a request's incident id and centralist name; fills `id`.
tl::expected<std::int64_t, std::string> check_common(const std::string& label,
                                                     const std::string& who) {
  auto id = check_id(label);
  if (!id) {
    return id;
  }
  if (who.empty() || who.size() > kMaxNameBytes) {
    return tl::make_unexpected("centralist: required, at most 128 bytes");
  }
  return *id;
}

}  // namespace

std::string encode_snapshot(const std::vector<const core::Incident*>& incidents,
                            core::TimeMs server_time_ms,
                            const std::vector<std::string>& close_outcomes) {
  v1::ConsoleFeed feed;
  auto* snap = feed.mutable_snapshot();
  for (const auto* inc : incidents) {
    fill_incident(*snap->add_incidents(), *inc);
  }
  snap->set_server_time_ms(server_time_ms);
  for (const auto& o : close_outcomes) {
    snap->add_close_outcomes(o);
  }
  return feed_json(feed);
}

std::string encode_update(const core::Incident& incident) {
  v1::ConsoleFeed feed;
  fill_incident(*feed.mutable_update()->mutable_incident(), incident);
  return feed_json(feed);
}

std::string encode_console_error(std::string_view request, std::string_view text) {
  v1::ConsoleFeed feed;
  feed.mutable_error()->set_request(std::string(request));
  feed.mutable_error()->set_text(std::string(text));
  return feed_json(feed);
}

std::string seq_prefix(std::uint64_t seq, std::string_view frame) {
  assert(frame.size() >= 2 && frame.front() == '{' && frame.back() == '}');
  const bool empty_object = frame.size() == 2;  // "{}": no field follows, so no comma
  return "{\"seq\":\"" + std::to_string(seq) + (empty_object ? "\"" : "\",");
}

tl::expected<ConsoleRequest, std::string> decode_console_request(std::string_view json) {
  v1::ConsoleRequest msg;
  std::string error;
  if (!detail::from_json(json, msg, "not a ConsoleRequest: ", error)) {
    return tl::make_unexpected(error);
  }
  switch (msg.body_case()) {
    case v1::ConsoleRequest::kAccept: {
      auto id = check_common(msg.accept().incident_id(), msg.accept().centralist());
      if (!id) {
        return tl::make_unexpected(id.error());
      }
      return AcceptRequest{*id, msg.accept().centralist()};
    }
    case v1::ConsoleRequest::kClose: {
      const auto& c = msg.close();
      auto id = check_common(c.incident_id(), c.centralist());
      if (!id) {
        return tl::make_unexpected(id.error());
      }
      if (c.outcome().empty() || c.outcome().size() > kMaxOutcomeBytes) {
        return tl::make_unexpected("outcome: required, at most 128 bytes");
      }
      if (c.note().size() > kMaxNoteBytes) {
        return tl::make_unexpected("note: at most 4096 bytes");
      }
      return CloseRequest{*id, c.centralist(), c.outcome(), c.note()};
    }
    case v1::ConsoleRequest::kListenIn: {
      auto id = check_common(msg.listen_in().incident_id(), msg.listen_in().centralist());
      if (!id) {
        return tl::make_unexpected(id.error());
      }
      return ListenInRequest{*id, msg.listen_in().centralist()};
    }
    case v1::ConsoleRequest::kAddNote: {
      auto id = check_id(msg.add_note().incident_id());
      if (!id) {
        return tl::make_unexpected(id.error());
      }
      auto text = core::note_text(msg.add_note().text());
      if (!text) {
        return tl::make_unexpected(text.error());
      }
      return AddNoteRequest{*id, std::move(*text)};
    }
    case v1::ConsoleRequest::BODY_NOT_SET:
      break;
  }
  return tl::make_unexpected("no request set (expected accept, close, listenIn or addNote)");
}

}  // namespace aware::wire
