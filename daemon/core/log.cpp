// log.cpp — stage loggers sharing one stderr sink.
#include "core/log.hpp"

#include <array>
#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>

namespace aware::core {
namespace {

constexpr std::array<std::string_view, 11> kStages{"app",      "config",  "ingest",
                                                   "match",    "store",   "dispatch",
                                                   "net",      "registry", "notify",
                                                   "supervision", "dc09"};
std::once_flag g_once;

void create_loggers() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  for (auto stage : kStages) {
    auto logger = std::make_shared<spdlog::logger>(std::string(stage), sink);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
    logger->flush_on(spdlog::level::info);
    spdlog::register_logger(logger);
  }
}

}  // namespace

bool init_logging(std::string_view level) {
  std::call_once(g_once, create_loggers);
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off"; only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") {
    return false;
  }
  for (auto stage : kStages) {
    spdlog::get(std::string(stage))->set_level(parsed);
  }
  return true;
}

std::shared_ptr<spdlog::logger> log(std::string_view stage) {
  std::call_once(g_once, create_loggers);
  if (auto logger = spdlog::get(std::string(stage))) {
    return logger;
  }
  return spdlog::get("app");
}

}  // namespace aware::core
