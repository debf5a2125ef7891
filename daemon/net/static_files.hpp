// static_files.hpp — the web console's assets (issue 7, docs/web-console.md): which file under
// [meldkamer] web_root a request target names, with what Content-Type, and the security headers
// every asset response carries; and the bounded read of that file.
//
// resolve_static() is pure (no I/O) and refuses everything that is not a plain relative path of
// known extension: "..", ".", empty segments, dotfiles, backslashes, NUL, percent-encoding (the
// page's own file names never need it), over-long targets. A refusal is a plain "no" (the server
// answers 404 without saying why). read_asset() opens the file without following a symlink in
// its last component and reads at most max_bytes; it returns an error text for the log.
// Called by console_server.cpp on the network thread (assets are small; see the note there).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace aware::netio {

// A request target resolved to an asset.
struct StaticFile {
  std::string path;               // relative to web_root, e.g. "index.html", "lib/leaflet.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
};

// Whether a target belongs to the static assets at all (not /api/, /ws/ or /healthz).
bool is_static_target(std::string_view target);

// The asset `target` names ("/" → index.html; the query is ignored), or nullopt (404).
std::optional<StaticFile> resolve_static(std::string_view target);

// The contents of web_root/relative (a regular file of at most max_bytes), or why not (for the
// log; the client only gets 404). Never throws.
tl::expected<std::string, std::string> read_asset(const std::string& web_root,
                                                  const std::string& relative,
                                                  std::size_t max_bytes);

}  // namespace aware::netio
