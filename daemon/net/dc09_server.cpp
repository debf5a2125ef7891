// dc09_server.cpp — see dc09_server.hpp.
#include "net/dc09_server.hpp"

#include <array>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "dc09/splitter.hpp"
#include "net/listener.hpp"

namespace aware::netio {
namespace {

std::string text_of(const tcp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}
std::string text_of(const udp::endpoint& ep) {
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

// The account and sequence of a received frame, for logs ("?" when the header was unreadable).
std::string label(const dc09::Received& r) {
  if (!r.frame) {
    return "?";
  }
  return "account " + r.frame->account + " seq " + dc09::sequence_text(r.frame->sequence);
}

}  // namespace

// One TCP connection: reads under a deadline (idle_timeout from the connect or the last frame
// the receiver could read, frame_timeout from a frame's first byte, none while a frame is
// handled, frame_timeout for a reply's write — a peer that does not take its reply in time is
// reset), splits, and handles one frame at a time in order, replying on the same socket.
class Dc09Session : public std::enable_shared_from_this<Dc09Session> {
 public:
  Dc09Session(tcp::socket socket, Dc09Server& server)
      : socket_{std::move(socket)}, server_{server}, timer_{socket_.get_executor()} {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    peer_ = ec ? std::string("?") : text_of(ep);
    peer_ += " (tcp)";
  }
  ~Dc09Session() { server_.forget(this); }

  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
    timer_.cancel();
  }

  awaitable<void> run() {
    auto self = shared_from_this();
    arm(server_.config().idle_timeout);
    idle_deadline_ = deadline_;
    net::co_spawn(socket_.get_executor(), [self] { return self->watchdog(); }, net::detached);
    std::array<char, 4096> buf{};
    std::string body;
    while (socket_.is_open()) {
      boost::system::error_code ec;
      const auto n = co_await socket_.async_read_some(net::buffer(buf),
                                                      net::redirect_error(use_awaitable, ec));
      if (ec) {
        if (timed_out_) {
          core::log("dc09")->info("AWR-8003 DC-09 connection {} passed its read deadline ({}); "
                                  "closed", peer_,
                                  splitter_.mid_frame() ? "a begun frame is not complete"
                                                        : "no complete frame in time");
        }
        break;
      }
      const auto read_at = clock::now();
      const bool continuing = splitter_.mid_frame();  // these bytes extend a frame already begun
      splitter_.feed(std::string_view(buf.data(), n));
      std::size_t frames = 0;    // frames completed by these bytes
      std::size_t readable = 0;  // of those, frames the receiver could read
      for (;;) {
        const auto status = splitter_.next(body);
        if (status == dc09::FrameSplitter::Status::need_more) {
          break;
        }
        ++frames;
        if (status == dc09::FrameSplitter::Status::oversize) {
          core::log("dc09")->warn("AWR-8005 DC-09 {} sent a frame over the size limit; dropped",
                                  peer_);
          server_.count_dropped();
          continue;
        }
        deadline_ = clock::time_point::max();  // no read deadline while a frame is handled
        auto handled = co_await server_.handle(body, peer_);
        if (handled.readable) {
          ++readable;
        }
        if (!handled.reply.empty()) {
          arm(server_.config().frame_timeout);
          writing_ = true;
          boost::system::error_code wec;
          co_await net::async_write(socket_, net::buffer(handled.reply),
                                    net::redirect_error(use_awaitable, wec));
          writing_ = false;
          if (wec && !timed_out_) {  // a write that timed out: the watchdog said why (AWR-8015)
            core::log("dc09")->warn("AWR-8010 DC-09 reply to {} not written: {}", peer_,
                                    wec.message());
          }
        }
        server_.finish(handled);
        if (!socket_.is_open()) {
          break;
        }
      }
      // Only a frame the receiver could read buys time (idle_timeout from then on); bytes
      // that make none (garbage, a bad CRC, an oversize body) leave the idle deadline where it
      // was. frame_timeout counts from a frame's first byte, so a peer that drips a frame byte
      // by byte is closed then.
      if (readable > 0) {
        idle_deadline_ = clock::now() + server_.config().idle_timeout;
      }
      if (splitter_.mid_frame()) {
        if (!continuing || frames > 0) {
          frame_deadline_ = read_at + server_.config().frame_timeout;
        }
        deadline_ = frame_deadline_;
      } else {
        deadline_ = idle_deadline_;
      }
      timer_.expires_at(deadline_);
    }
    close();
  }

 private:
  using clock = std::chrono::steady_clock;

  void arm(std::chrono::seconds within) {
    deadline_ = clock::now() + within;
    timer_.expires_at(deadline_);
  }

  awaitable<void> watchdog() {
    auto self = shared_from_this();
    while (socket_.is_open()) {
      timer_.expires_at(deadline_);
      boost::system::error_code ec;
      co_await timer_.async_wait(net::redirect_error(use_awaitable, ec));
      if (clock::now() >= deadline_ && socket_.is_open()) {
        timed_out_ = true;
        if (writing_) {
          core::log("dc09")->warn("AWR-8015 closing DC-09 connection {}: the transmitter did not "
                                  "take a reply within frame_timeout_s ({} s)", peer_,
                                  server_.config().frame_timeout.count());
          reset_on_close(socket_);  // not a FIN queued behind replies it does not read
        }
        close();
      }
    }
  }

  tcp::socket socket_;
  Dc09Server& server_;
  net::steady_timer timer_;
  clock::time_point deadline_ = clock::time_point::max();
  clock::time_point idle_deadline_ = clock::time_point::max();   // from the last readable frame
  clock::time_point frame_deadline_ = clock::time_point::max();  // of the frame begun last
  bool timed_out_ = false;
  bool writing_ = false;  // a reply is being written (under the frame_timeout deadline)
  dc09::FrameSplitter splitter_;
  std::string peer_;
};

Dc09Server::Dc09Server(net::io_context& io, const core::Dc09Config& config,
                       dc09::Receiver& receiver, Dc09Handler& handler)
    : io_{io}, config_{config}, receiver_{receiver}, handler_{handler}, acceptor_{io}, udp_{io} {}

Dc09Server::~Dc09Server() = default;

void Dc09Server::start() {
  if (config_.tcp_listen) {
    listen_on(acceptor_, *config_.tcp_listen);
    net::co_spawn(io_,
                  accept_loop(acceptor_, &stopping_, [this](tcp::socket s) { adopt(std::move(s)); },
                              "AWR-8013 DC-09"),
                  net::detached);
  }
  if (config_.udp_listen) {
    const udp::endpoint ep{net::ip::make_address(config_.udp_listen->host),
                           config_.udp_listen->port};
    udp_.open(ep.protocol());
    udp_.bind(ep);
    net::co_spawn(io_, udp_loop(), net::detached);
  }
}

void Dc09Server::stop() {
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  udp_.close(ec);
  const auto sessions = sessions_;
  for (auto* s : sessions) {
    s->close();
  }
}

std::optional<tcp::endpoint> Dc09Server::tcp_endpoint() const {
  boost::system::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? std::nullopt : std::optional<tcp::endpoint>(ep);
}

std::optional<udp::endpoint> Dc09Server::udp_endpoint() const {
  boost::system::error_code ec;
  auto ep = udp_.local_endpoint(ec);
  return ec ? std::nullopt : std::optional<udp::endpoint>(ep);
}

void Dc09Server::adopt(tcp::socket socket) {
  if (sessions_.size() >= config_.max_connections) {
    core::log("dc09")->warn("AWR-8002 refusing a DC-09 connection: {} connections open",
                            sessions_.size());
    return;
  }
  bound_send_buffer(socket);  // a transmitter that stops reading its ACKs stalls within 32 KiB
  auto session = std::make_shared<Dc09Session>(std::move(socket), *this);
  sessions_.insert(session.get());
  net::co_spawn(io_, [session] { return session->run(); },
                log_session_error("dc09", "AWR-8014 DC-09"));
}

awaitable<void> Dc09Server::udp_loop() {
  // One datagram is one message; the largest possible frame plus its LF and CR fits.
  std::vector<char> buf(dc09::kMaxBodyBytes + 2);
  while (udp_.is_open() && !stopping_) {
    udp::endpoint from;
    boost::system::error_code ec;
    const auto n = co_await udp_.async_receive_from(net::buffer(buf), from,
                                                    net::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == net::error::operation_aborted || !udp_.is_open()) {
        break;
      }
      continue;  // e.g. an ICMP error reported on the socket: keep receiving
    }
    if (udp_in_flight_ >= kMaxDc09UdpInFlight) {
      core::log("dc09")->warn("AWR-8012 DC-09 datagram from {} dropped: {} being handled",
                              text_of(from), udp_in_flight_);
      count_dropped();
      continue;
    }
    ++udp_in_flight_;
    net::co_spawn(io_, udp_one(std::string(buf.data(), n), from),
                  log_session_error("dc09", "AWR-8014 DC-09"));
  }
}

awaitable<void> Dc09Server::udp_one(std::string datagram, udp::endpoint from) {
  struct Done {
    std::size_t& count;
    ~Done() { --count; }
  } done{udp_in_flight_};
  const std::string peer = text_of(from) + " (udp)";
  dc09::FrameSplitter splitter;
  splitter.feed(datagram);
  std::string body;
  // One datagram = one message: the first complete frame in it; anything else is ignored.
  if (splitter.next(body) != dc09::FrameSplitter::Status::frame) {
    core::log("dc09")->warn("AWR-8004 DC-09 {} dropped, no answer: not a whole frame", peer);
    count_dropped();
    co_return;
  }
  auto handled = co_await handle(std::move(body), peer);
  if (!handled.reply.empty() && udp_.is_open()) {
    boost::system::error_code ec;
    co_await udp_.async_send_to(net::buffer(handled.reply), from,
                                net::redirect_error(use_awaitable, ec));
    if (ec) {
      core::log("dc09")->warn("AWR-8010 DC-09 reply to {} not written: {}", peer, ec.message());
    }
  }
  finish(handled);
}

awaitable<Dc09Server::Handled> Dc09Server::handle(std::string body, std::string peer) {
  auto handled = co_await decide(std::move(body), std::move(peer));
  handler_.count_dc09_reply(handled.reply.empty() ? dc09::Reply::none : handled.kind);
  co_return handled;
}

awaitable<Dc09Server::Handled> Dc09Server::decide(std::string body, std::string peer) {
  using dc09::Reason;
  Handled out;
  auto received = receiver_.on_frame(body, core::now_ms());
  auto log = core::log("dc09");
  const auto& d = received.decision;
  out.kind = d.reply;  // counted as none when no reply is sent (handle())
  switch (d.reason) {
    case Reason::bad_integrity:
    case Reason::malformed:
    case Reason::undecryptable:
      log->warn("AWR-8004 DC-09 {} from {} dropped, no answer: {} ({})", label(received), peer,
                dc09::to_string(d.reason),
                received.error ? dc09::to_string(*received.error) : std::string_view("-"));
      out.readable = false;
      co_return out;
    case Reason::timestamp_missing:
    case Reason::timestamp_window:
      log->warn("AWR-8006 DC-09 {} from {} answered NAK: {} (its clock is off; it resends)",
                label(received), peer, dc09::to_string(d.reason));
      out.reply = received.reply;
      co_return out;
    case Reason::unprocessable:
      log->warn("AWR-8007 DC-09 {} from {} answered DUH: not an alarm and not readable",
                label(received), peer);
      out.reply = received.reply;
      co_return out;
    case Reason::duplicate: {
      const std::pair<std::string, int> key{received.frame->account, received.frame->sequence};
      if (in_flight_.count(key) != 0) {
        log->info("AWR-8011 DC-09 retransmission of {} from {} while the original is being "
                  "stored: not answered yet", label(received), peer);
        co_return out;
      }
      log->info("AWR-8008 DC-09 duplicate {} from {} acked again, not dispatched",
                label(received), peer);
      out.reply = received.reply;
      co_return out;
    }
    case Reason::accepted:
    case Reason::alarm_partly_read:
      break;
  }
  if (!d.deliver) {
    out.reply = received.reply;
    co_return out;
  }
  const std::pair<std::string, int> key{received.frame->account, received.frame->sequence};
  in_flight_.insert(key);
  auto commit = co_await handler_.commit_dc09(received, peer);
  in_flight_.erase(key);
  if (!commit.ok) {
    log->error("AWR-8009 DC-09 {} from {} not stored, not acked (the transmitter retries): {}",
               label(received), peer, commit.error);
    receiver_.delivery_failed(received);
    co_return out;
  }
  out.reply = received.reply;
  out.commit = std::move(commit);
  co_return out;
}

void Dc09Server::count_dropped() { handler_.count_dc09_reply(dc09::Reply::none); }

void Dc09Server::finish(const Handled& handled) {
  if (handled.commit) {
    handler_.dc09_acked(*handled.commit);
  }
}

}  // namespace aware::netio
