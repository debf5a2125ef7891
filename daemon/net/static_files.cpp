// static_files.cpp — see static_files.hpp.
#include "net/static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace aware::netio {

namespace {

constexpr std::size_t kMaxTarget = 512;   // longer paths are never ours
constexpr std::size_t kMaxSegments = 16;  // deeper paths are never ours

constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
}};

bool allowed_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == '/';
}

std::optional<std::string_view> type_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  const auto ext = name.substr(dot);
  for (const auto& [e, type] : kTypes) {
    if (e == ext) {
      return type;
    }
  }
  return std::nullopt;
}

// RAII for a file descriptor.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

}  // namespace

bool is_static_target(std::string_view target) {
  const auto path = target.substr(0, target.find('?'));
  return path != "/healthz" && path.rfind("/api/", 0) != 0 && path != "/api" &&
         path.rfind("/ws/", 0) != 0;
}

std::optional<StaticFile> resolve_static(std::string_view target) {
  if (target.size() > kMaxTarget || target.empty() || target.front() != '/') {
    return std::nullopt;
  }
  auto path = target.substr(1, target.find('?') == std::string_view::npos
                                   ? std::string_view::npos
                                   : target.find('?') - 1);
  if (path.empty()) {
    path = "index.html";
  }
  std::size_t segments = 0;
  std::size_t start = 0;
  for (;;) {
    const auto slash = path.find('/', start);
    const auto segment = path.substr(start, slash == std::string_view::npos ? path.npos
                                                                            : slash - start);
    // Empty, ".", ".." and dotfiles all start with '.' or are empty.
    if (segment.empty() || segment.front() == '.' || ++segments > kMaxSegments) {
      return std::nullopt;
    }
    for (char c : segment) {
      if (!allowed_char(c)) {
        return std::nullopt;  // '%', '\\', NUL, spaces, … : never in our asset names
      }
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  const auto type = type_of(path);
  if (!type) {
    return std::nullopt;
  }
  return StaticFile{std::string(path), *type};
}

tl::expected<std::string, std::string> read_asset(const std::string& web_root,
                                                  const std::string& relative,
                                                  std::size_t max_bytes) {
  const std::string full = web_root + "/" + relative;
  Fd file{::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)};
  if (file.fd < 0) {
    return tl::make_unexpected(std::string(std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) {
    return tl::make_unexpected(std::string(std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return tl::make_unexpected(std::string("not a regular file"));
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    return tl::make_unexpected("larger than max_asset_bytes (" + std::to_string(max_bytes) + ")");
  }
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const auto n = ::read(file.fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return tl::make_unexpected(std::string(std::strerror(errno)));
    }
    if (n == 0) {
      break;  // shrank while reading: serve what is there
    }
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

}  // namespace aware::netio
