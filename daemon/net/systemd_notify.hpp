// systemd_notify.hpp — the service manager protocol: READY=1, STATUS=, STOPPING=1 and
// WATCHDOG=1 over $NOTIFY_SOCKET (libsystemd's sd_notify). Without NOTIFY_SOCKET every call is
// a no-op, so awared runs the same outside systemd.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace aware::netio {

void notify_ready(std::string_view status);
void notify_status(std::string_view status);
void notify_stopping();
void notify_reloading();
void notify_watchdog();

// The watchdog interval the unit asked for ($WATCHDOG_USEC for this process), if any.
std::optional<std::chrono::microseconds> watchdog_interval();

}  // namespace aware::netio
