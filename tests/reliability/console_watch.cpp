// console_watch.cpp — see console_watch.hpp.
#include <utility>

#include "console_watch.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace aware::reliability {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
namespace http = boost::beast::http;

// "M-000042" -> 42; -1 for anything else.
std::int64_t incident_number(const std::string& label) {
  if (label.size() < 3 || label.compare(0, 2, "M-") != 0) {
    return -1;
  }
  try {
    return std::stoll(label.substr(2));
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

ConsoleWatch::ConsoleWatch(std::uint16_t port, std::vector<std::string> tokens)
    : port_{port}, tokens_{std::move(tokens)}, views_(tokens_.size()), fds_(tokens_.size(), -1) {
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    threads_.emplace_back([this, i] { run(i); });
  }
}

ConsoleWatch::~ConsoleWatch() {
  stop();
  for (auto& t : threads_) {
    t.join();
  }
}

void ConsoleWatch::up() {
  std::lock_guard lock{mutex_};
  ++ups_;
  changed_.notify_all();
}

void ConsoleWatch::stop() {
  std::lock_guard lock{mutex_};
  stop_ = true;
  for (const int fd : fds_) {
    if (fd >= 0) {
      ::shutdown(fd, SHUT_RDWR);
    }
  }
  changed_.notify_all();
}

bool ConsoleWatch::wait_views(const std::function<bool(const View&)>& pred,
                              std::chrono::milliseconds within) {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, within, [&] {
    return std::all_of(views_.begin(), views_.end(), pred);
  });
}

std::vector<ConsoleWatch::View> ConsoleWatch::views() {
  std::lock_guard lock{mutex_};
  return views_;
}

ConsoleStats ConsoleWatch::stats() {
  std::lock_guard lock{mutex_};
  return stats_;
}

void ConsoleWatch::run(std::size_t index) {
  std::uint64_t ups_seen = 0;
  bool had_session = false;
  for (;;) {
    {
      std::unique_lock lock{mutex_};
      if (!had_session) {  // the last connect failed: awared is down until the next up()
        changed_.wait(lock, [&] { return stop_ || ups_ != ups_seen; });
      }
      if (stop_) {
        return;
      }
      ups_seen = ups_;
    }
    // A session ends when awared goes away or closes it; the console then reconnects at once
    // (and resyncs), or waits for the next up() when that is refused.
    had_session = session(index);
  }
}

bool ConsoleWatch::session(std::size_t index) {
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws{io};
  boost::system::error_code ec;
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
  if (ec) {
    return false;
  }
  // A read deadline, so a console never waits forever on an awared that hangs.
  timeval tv{60, 0};
  ::setsockopt(ws.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto token = tokens_[index];
  ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
    req.set(http::field::authorization, "Bearer " + token);
  }));
  ws.handshake("127.0.0.1:" + std::to_string(port_), "/ws/meldkamer", ec);
  if (ec) {
    return false;
  }
  struct Registered {  // lets stop() end a blocked read; unregistered before the socket closes
    ConsoleWatch& w;
    std::size_t i;
    ~Registered() {
      std::lock_guard lock{w.mutex_};
      w.fds_[i] = -1;
    }
  };
  {
    std::lock_guard lock{mutex_};
    if (stop_) {
      return false;
    }
    ++stats_.connections;
    fds_[index] = ws.next_layer().native_handle();
  }
  Registered registered{*this, index};
  auto note = [&](const nlohmann::json& incident) {
    const auto id = incident_number(incident.value("id", ""));
    if (id < 0) {
      stats_.errors.push_back("an incident without a valid id: " + incident.dump());
      return;
    }
    auto& view = views_[index];
    const std::string device = incident.value("deviceId", "");
    for (const auto& [other, seen] : view) {
      if (other != id && seen.device_id == device) {  // between two snapshots: a duplicate
        stats_.errors.push_back("one session was shown two incidents of " + device);
      }
    }
    auto& seen = view[id];
    seen.device_id = device;
    seen.max_count = std::max(seen.max_count, incident.value("activationCount", 0U));
  };
  for (;;) {
    boost::beast::flat_buffer buffer;
    ws.read(buffer, ec);
    if (ec) {
      return true;  // awared went away: wait for the next up()
    }
    const auto feed =
        nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
    std::lock_guard lock{mutex_};
    try {
      if (feed.is_discarded() || !feed.is_object()) {
        stats_.errors.push_back("a console frame that is not a JSON object");
      } else if (feed.contains("snapshot")) {
        // A snapshot replaces the view, as in the real consoles: an incident shown before its
        // commit and then withdrawn (a crash or a failed commit) is not in it.
        ++stats_.snapshots;
        views_[index].clear();
        for (const auto& incident :
             feed["snapshot"].value("incidents", nlohmann::json::array())) {
          note(incident);
        }
      } else if (feed.contains("update")) {
        ++stats_.updates;
        note(feed["update"]["incident"]);
      }
    } catch (const nlohmann::json::exception& e) {
      stats_.errors.push_back(std::string("a console frame of the wrong shape: ") + e.what());
    }
    changed_.notify_all();
  }
}

}  // namespace aware::reliability
