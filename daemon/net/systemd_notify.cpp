// systemd_notify.cpp — thin wrappers over sd_notify.
#include "net/systemd_notify.hpp"

#include <string>

#include <systemd/sd-daemon.h>

namespace aware::netio {

void notify_ready(std::string_view status) {
  sd_notify(0, ("READY=1\nSTATUS=" + std::string(status)).c_str());
}
void notify_status(std::string_view status) {
  sd_notify(0, ("STATUS=" + std::string(status)).c_str());
}
void notify_stopping() { sd_notify(0, "STOPPING=1"); }
void notify_reloading() { sd_notify(0, "RELOADING=1"); }
void notify_watchdog() { sd_notify(0, "WATCHDOG=1"); }

std::optional<std::chrono::microseconds> watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    return std::chrono::microseconds(usec);
  }
  return std::nullopt;
}

}  // namespace aware::netio
