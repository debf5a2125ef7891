// test_static_files.cpp — resolve_static() and read_asset() (net/static_files.hpp): only plain
// relative paths of known extensions under web_root; traversal, dotfiles, encodings,
// directories, symlinks and oversized files are refused.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "net/static_files.hpp"
#include "temp_dir.hpp"

using aware::netio::is_static_target;
using aware::netio::read_asset;
using aware::netio::resolve_static;

TEST_CASE("web assets: the root is index.html, served as HTML", "[web]") {
  const auto f = resolve_static("/");
  REQUIRE(f);
  CHECK(f->path == "index.html");
  CHECK(f->content_type == "text/html; charset=utf-8");
  const auto q = resolve_static("/?x=1");
  REQUIRE(q);
  CHECK(q->path == "index.html");
}

TEST_CASE("web assets: known extensions get fixed content types", "[web]") {
  CHECK(resolve_static("/app.js")->content_type == "text/javascript; charset=utf-8");
  CHECK(resolve_static("/lib/leaflet.css")->content_type == "text/css; charset=utf-8");
  CHECK(resolve_static("/lib/images/marker-icon.png")->content_type == "image/png");
  CHECK(resolve_static("/lib/images/marker-icon.png")->path == "lib/images/marker-icon.png");
  CHECK_FALSE(resolve_static("/awared.toml"));
  CHECK_FALSE(resolve_static("/noextension"));
  CHECK_FALSE(resolve_static("/lib/"));
}

TEST_CASE("web assets: traversal and odd paths are refused", "[web]") {
  for (const char* target :
       {"/../etc/passwd.txt", "/lib/../../x.js", "/./index.html", "//index.html",
        "/lib//x.js", "/%2e%2e/x.js", "/lib%2fx.js", "/.env.json", "/lib/.hidden.js",
        "/a\\b.js", "/a b.js", "index.html", "", "/lib/x.js/"}) {
    INFO(target);
    CHECK_FALSE(resolve_static(target));
  }
  CHECK_FALSE(resolve_static(std::string("/a\0b.js", 7)));
  CHECK_FALSE(resolve_static("/" + std::string(600, 'a') + ".js"));
  std::string deep;
  for (int i = 0; i < 17; ++i) {
    deep += "/d";
  }
  CHECK_FALSE(resolve_static(deep + ".js"));
}

TEST_CASE("web assets: the API, feeds and health are not assets", "[web]") {
  CHECK_FALSE(is_static_target("/api/v1/login"));
  CHECK_FALSE(is_static_target("/ws/meldkamer?regions=a"));
  CHECK_FALSE(is_static_target("/healthz"));
  CHECK(is_static_target("/"));
  CHECK(is_static_target("/app.js"));
}

TEST_CASE("web assets: read_asset reads regular files within the size cap only", "[web]") {
  aware::testing::TempDir dir;
  const auto root = dir.path().string();
  std::ofstream(dir.path() / "index.html") << "<!doctype html>";
  std::ofstream(dir.path() / "big.js") << std::string(2048, 'x');
  std::filesystem::create_directory(dir.path() / "sub.js");
  std::filesystem::create_symlink(dir.path() / "index.html", dir.path() / "link.html");

  const auto ok = read_asset(root, "index.html", 1024);
  REQUIRE(ok);
  CHECK(*ok == "<!doctype html>");
  CHECK_FALSE(read_asset(root, "big.js", 1024));
  CHECK(read_asset(root, "big.js", 4096));
  CHECK_FALSE(read_asset(root, "sub.js", 1024));
  CHECK_FALSE(read_asset(root, "link.html", 1024));
  CHECK_FALSE(read_asset(root, "missing.js", 1024));
}
