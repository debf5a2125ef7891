// device_session.cpp — see device_session.hpp.
#include "net/device_session.hpp"

#include <chrono>

#include "core/clock.hpp"
#include "core/crash_point.hpp"
#include "core/log.hpp"
#include "device.pb.h"
#include "net/listener.hpp"
#include "wire/device_codec.hpp"

namespace aware::netio {
DeviceSession::DeviceSession(tcp::socket socket, const core::DeviceConfig& config,
                             const DeviceTls& tls, DeviceHandler& handler, DeviceServer& server)
    : stream_{std::move(socket), tls.context},
      socket_{stream_.socket()},
      config_{config},
      handshake_timeout_{tls.handshake_timeout},
      refusals_{tls.refusals},
      handler_{handler},
      server_{server},
      timer_{socket_.get_executor()},
      decoder_{config.max_frame_bytes},
      gate_{socket_.get_executor()} {
  gate_.expires_at(clock::time_point::max());  // waits end only by cancel()
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? std::string("?") : ep.address().to_string() + ":" + std::to_string(ep.port());
}

DeviceSession::~DeviceSession() { server_.forget(this, bound_id_); }

std::string DeviceSession::who() const {
  const auto& hello = protocol_.hello();
  const auto& certified = protocol_.certified_id();
  if (hello) {
    return peer_ + " device " + hello->device_id;
  }
  return peer_ + (certified ? " certificate " + *certified + " (no hello)" : " (no hello)");
}

void DeviceSession::arm(std::chrono::seconds within) { set_deadline(clock::now() + within); }

void DeviceSession::set_deadline(clock::time_point at) {
  read_deadline_ = at;
  rearm_if_earlier();
}

void DeviceSession::rearm_if_earlier() {
  if (deadline() < timer_.expiry()) {
    timer_.expires_at(deadline());  // wakes the watchdog to wait for the earlier deadline
  }
}

void DeviceSession::close() {
  stream_.close();
  timer_.cancel();
}

void DeviceSession::drain() {
  draining_ = true;
  if (!busy_) {
    close();
  }
}

awaitable<void> DeviceSession::watchdog() {
  auto self = shared_from_this();
  while (socket_.is_open()) {
    // A deadline that moved later (each frame moves it) leaves the timer alone: the watchdog
    // wakes at the earlier time and waits again from here. Only an earlier deadline re-arms
    // the timer at once (set_deadline()), so most frames cost no timer operation.
    if (timer_.expiry() != deadline()) {
      timer_.expires_at(deadline());
    }
    boost::system::error_code ec;
    co_await timer_.async_wait(net::redirect_error(use_awaitable, ec));
    const auto now = clock::now();
    if (now >= deadline() && socket_.is_open()) {
      timed_out_ = true;
      write_timed_out_ = now >= write_deadline_;
      if (write_timed_out_) {
        core::log("ingest")->warn("AWR-2004 closing {}: the device did not take a reply or command "
                                  "within frame_timeout_s ({} s)", who(),
                                  config_.frame_timeout.count());
        reset_on_close(socket_);  // not a FIN queued behind the bytes the device does not read
        close();
      } else if (handshaking_ && !handshake_cancelled_) {
        // Abort the handshake only: authenticate() logs why, then run() closes the socket. Should
        // the cancel miss (a read that had just completed), the next deadline closes it.
        handshake_cancelled_ = true;
        read_deadline_ = now + std::chrono::seconds(1);
        socket_.cancel(ec);
      } else {
        close();
      }
    }
  }
}

bool DeviceSession::send(std::string frame) {
  if (!socket_.is_open() || outbox_.size() + behind_ack_.size() >= kMaxOutbox) {
    return false;
  }
  if (holding_) {
    behind_ack_.push_back(std::move(frame));  // handle() writes it right behind the Ack
    return true;
  }
  outbox_.push_back(std::move(frame));
  if (!pushing_) {
    pushing_ = true;
    net::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->push_outbox(); },
                  net::detached);
  }
  return true;
}

awaitable<void> DeviceSession::push_outbox() {
  auto self = shared_from_this();
  while (!outbox_.empty() && socket_.is_open()) {
    const std::string frame = std::move(outbox_.front());
    outbox_.pop_front();
    if (!co_await write(frame)) {
      break;
    }
  }
  outbox_.clear();
  pushing_ = false;
}

awaitable<bool> DeviceSession::write(const std::string& frame) {
  boost::system::error_code ec;
  while (writing_) {
    co_await gate_.async_wait(net::redirect_error(use_awaitable, ec));
  }
  if (!socket_.is_open()) {
    co_return false;  // closed while this waited; the write before said why (AWR-2004)
  }
  writing_ = true;
  write_deadline_ = clock::now() + config_.frame_timeout;
  rearm_if_earlier();
  co_await stream_.write(net::buffer(frame), ec);
  write_deadline_ = clock::time_point::max();  // the read side's deadline alone applies again
  writing_ = false;
  gate_.cancel();  // wakes a writer waiting at the gate
  if (ec) {
    if (!write_timed_out_) {  // else the watchdog said why it closed the connection
      core::log("ingest")->warn("AWR-2004 write to {} failed: {}", who(),
                                timed_out_ ? "timed out" : ec.message());
    }
    co_return false;
  }
  co_return true;
}

void DeviceSession::refused_tls(const std::string& subject, const std::string& why) {
  if (refusals_ != nullptr) {
    refusals_->tls_refused("device", peer_, subject, why);
  }
}

awaitable<bool> DeviceSession::authenticate() {
  auto log = core::log("ingest");
  boost::system::error_code ec;
  co_await stream_.handshake(ec);
  if (ec && draining_) {
    co_return false;  // awared is stopping; not a refusal
  }
  if (ec) {
    // OpenSSL's verdict (expired, revoked, unknown CA, no certificate, TLS 1.2 offered...).
    const std::string why = timed_out_ ? "not finished within " +
                                             std::to_string(handshake_timeout_.count()) + " s"
                                       : handshake_failure(stream_.native_handle(), ec);
    log->warn("AWR-2010 TLS handshake with {} refused: {}", peer_, why);
    refused_tls("", "TLS handshake refused: " + why);
    co_return false;
  }
  const auto certified = peer_common_name(stream_.native_handle());
  if (!certified) {
    log->warn("AWR-2011 closing {}: the device certificate names no single device id (subject "
              "CN)", peer_);
    refused_tls("", "the device certificate names no single device id (subject CN)");
    co_return false;
  }
  if (!handler_.registered(*certified)) {
    log->warn("AWR-2012 closing {}: the certificate is for device {}, which is not registered "
              "(or not active)", peer_, *certified);
    refused_tls(*certified, "the certificate is for a device that is not registered (or not "
                            "active)");
    co_return false;
  }
  protocol_.bind_certificate(*certified);
  co_return true;
}

awaitable<void> DeviceSession::run() {
  auto self = shared_from_this();
  if (stream_.tls()) {
    arm(handshake_timeout_);  // the watchdog closes a handshake that stalls
    net::co_spawn(socket_.get_executor(), watchdog(), net::detached);
    handshaking_ = true;
    const bool authenticated = co_await authenticate();
    handshaking_ = false;
    if (!authenticated || !socket_.is_open()) {
      close();
      co_return;
    }
    arm(config_.hello_timeout);
  } else {
    arm(config_.hello_timeout);
    net::co_spawn(socket_.get_executor(), watchdog(), net::detached);
  }
  hello_deadline_ = read_deadline_;
  std::array<std::uint8_t, 4096> buf{};
  std::string payload;
  for (;;) {
    boost::system::error_code ec;
    const std::size_t n = co_await stream_.read_some(net::buffer(buf), ec);
    if (ec) {
      if (write_timed_out_) {
        // The watchdog said why (AWR-2004).
      } else if (timed_out_ && decoder_.mid_frame() && protocol_.hello()) {
        core::log("ingest")->warn("AWR-2020 closing {}: a frame begun {} s ago is not complete "
                                  "(frame_timeout_s)", who(), config_.frame_timeout.count());
      } else if (timed_out_) {
        core::log("ingest")->info("AWR-2001 closing {}: read deadline passed", who());
      } else if (ec != net::error::eof && ec != net::error::operation_aborted &&
                 ec != ssl::error::stream_truncated) {  // a TLS peer that left without close_notify
        core::log("ingest")->info("AWR-2002 connection {} ended: {}", who(), ec.message());
      }
      break;
    }
    const bool continuing = decoder_.mid_frame();  // these bytes extend a frame already begun
    decoder_.feed(std::span<const std::uint8_t>(buf.data(), n));
    busy_ = true;
    bool keep = true;
    std::size_t frames = 0;  // frames completed by these bytes
    // Draining (awared stopping) ends the loop after the frame in hand: frames still in the
    // buffer are not acked, so the device sends them again to the next awared. Working through
    // them all could hold up the stop for as long as a whole window of every device takes.
    while (keep && !draining_) {
      const auto status = decoder_.next(payload);
      if (status == wire::FrameDecoder::Status::need_more) {
        break;
      }
      if (status != wire::FrameDecoder::Status::frame) {
        core::log("ingest")->warn(
            "AWR-2003 closing {}: {}", who(),
            status == wire::FrameDecoder::Status::too_large
                ? "frame of " + std::to_string(decoder_.announced_length()) +
                      " bytes exceeds the limit of " + std::to_string(config_.max_frame_bytes)
                : std::string("malformed length prefix"));
        keep = false;
        break;
      }
      read_deadline_ = clock::time_point::max();  // no read deadline while we work on a frame
      ++frames;
      keep = co_await handle(protocol_.on_frame(payload, core::now_ms()));
    }
    busy_ = false;
    if (!keep || draining_ || !socket_.is_open()) {
      break;
    }
    if (!protocol_.hello()) {
      set_deadline(hello_deadline_);  // frames without a valid Hello do not buy more time
    } else if (decoder_.mid_frame()) {
      // frame_timeout counts from a frame's first byte: a peer that drips a frame byte by byte
      // does not buy time with each read.
      if (!continuing || frames > 0) {
        frame_deadline_ = clock::now() + config_.frame_timeout;
      }
      set_deadline(frame_deadline_);
    } else {
      arm(config_.idle_timeout);
    }
  }
  close();
}

awaitable<bool> DeviceSession::handle(ingest::Action action) {
  if (auto* reply = std::get_if<ingest::Reply>(&action)) {
    if (reply->nack_reason != 0) {
      handler_.count_nack(reply->nack_reason);
    }
    co_return co_await write(reply->frame);
  }
  if (auto* hello = std::get_if<ingest::HelloAccepted>(&action)) {
    core::log("ingest")->info("AWR-2005 {} said hello (firmware {}, boot epoch {})", who(),
                              hello->hello.firmware, hello->hello.boot_epoch);
    server_.bind(bound_id_, hello->hello.device_id, this);
    bound_id_ = hello->hello.device_id;
    co_return true;
  }
  if (auto* position = std::get_if<ingest::StorePosition>(&action)) {
    const auto seq = position->key.seq;
    StoredPosition stored = co_await handler_.store_position(position->key, position->fix);
    if (!stored.ok) {
      handler_.count_nack(v1::NACK_REASON_BUSY);
      co_return co_await write(wire::encode_nack(seq, v1::NACK_REASON_BUSY, stored.error));
    }
    handler_.count_ack(core::AckedMessage::position);
    const bool written = co_await write(wire::encode_ack(seq, core::now_ms()));
    handler_.position_acked(stored);
    co_return written;
  }
  if (auto* heartbeat = std::get_if<ingest::StoreHeartbeat>(&action)) {
    const auto seq = heartbeat->key.seq;
    StoredHeartbeat stored = co_await handler_.store_heartbeat(heartbeat->key, heartbeat->report);
    if (!stored.ok) {
      handler_.count_nack(v1::NACK_REASON_BUSY);
      co_return co_await write(wire::encode_nack(seq, v1::NACK_REASON_BUSY, stored.error));
    }
    handler_.count_ack(core::AckedMessage::heartbeat);
    co_return co_await write(wire::encode_ack(seq, core::now_ms()));
  }
  if (auto* mismatch = std::get_if<ingest::IdentityMismatch>(&action)) {
    core::log("ingest")->warn("AWR-2013 closing {}: Hello as device {} but the certificate is "
                              "for device {}", peer_, mismatch->hello_id,
                              mismatch->certificate_id);
    co_return false;
  }
  if (auto* closing = std::get_if<ingest::CloseConnection>(&action)) {
    core::log("ingest")->warn("AWR-2006 closing {}: {}", who(), closing->reason);
    co_return false;
  }
  auto& activation = std::get<ingest::StoreActivation>(action).activation;
  const auto seq = activation.key.seq;
  core::crash_point("received");
  StoredActivation stored = co_await handler_.store(std::move(activation));
  if (!stored.stored) {
    handler_.count_nack(v1::NACK_REASON_BUSY);
    co_return co_await write(wire::encode_nack(seq, v1::NACK_REASON_BUSY, stored.error));
  }
  handler_.count_ack(core::AckedMessage::activation);
  // Dispatch first: the commands it sends this device are held and written behind the Ack, in
  // the same write. (The activation is durable; should the write fail, the device retransmits
  // and is acked again as a duplicate.)
  holding_ = true;
  try {
    handler_.acked(stored);
  } catch (...) {
    holding_ = false;  // later commands go through the outbox again
    behind_ack_.clear();
    throw;
  }
  holding_ = false;
  std::string reply = wire::encode_ack(seq, core::now_ms());
  for (const auto& command : behind_ack_) {
    reply += command;
  }
  behind_ack_.clear();
  if (!co_await write(reply)) {
    co_return false;
  }
  core::crash_point("after_ack");
  co_return true;
}

}  // namespace aware::netio
