// check.cpp — see check.hpp.
#include "registry/check.hpp"

#include <set>
#include <string>

#include "registry/fields.hpp"

namespace aware::registry {
namespace {

using detail::fail;

struct Checker {
  const Document& doc;
  Mode mode;
  const Lookup& lookup;
  bool single;

  [[nodiscard]] std::string path(Kind kind, std::size_t i, std::string_view field) const {
    return single ? std::string(field)
                  : detail::index(plural(kind), i) + "." + std::string(field);
  }

  template <typename Records>
  [[nodiscard]] bool in_doc(const Records& records, std::string_view id) const {
    for (const auto& r : records) {
      if (r.id == id) {
        return true;
      }
    }
    return false;
  }

  template <typename Records>
  void ids(const Records& records, Kind kind) const {
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& id = records[i].id;
      if (mode == Mode::create && lookup(kind, id)) {
        fail(path(kind, i, "id"), std::string(singular(kind)) + " '" + id + "' already exists",
             ErrorKind::conflict);
      }
      if (mode == Mode::update && !lookup(kind, id)) {
        fail(path(kind, i, "id"), "no " + std::string(singular(kind)) + " '" + id + "'",
             ErrorKind::not_found);
      }
    }
  }

  // A reference from records[i].<field> to a record of `target` kind; "" means none.
  template <typename Targets>
  void reference(Kind kind, std::size_t i, std::string_view field, const std::string& id,
                 Kind target, const Targets& in_document) const {
    if (id.empty() || in_doc(in_document, id) || lookup(target, id)) {
      return;
    }
    fail(path(kind, i, field), "unknown " + std::string(singular(target)) + " '" + id + "'");
  }

  void run() const {
    const auto& r = doc.records;
    ids(r.regions, Kind::region);
    ids(r.clients, Kind::client);
    ids(r.devices, Kind::device);
    ids(r.aops, Kind::aop);
    ids(r.aols, Kind::aol);
    for (std::size_t i = 0; i < r.clients.size(); ++i) {
      reference(Kind::client, i, "home_region", r.clients[i].home_region, Kind::region,
                r.regions);
    }
    for (std::size_t i = 0; i < r.devices.size(); ++i) {
      reference(Kind::device, i, "client_id", r.devices[i].client_id, Kind::client, r.clients);
    }
    for (std::size_t i = 0; i < r.aops.size(); ++i) {
      reference(Kind::aop, i, "client_id", r.aops[i].client_id, Kind::client, r.clients);
    }
    for (std::size_t i = 0; i < r.aols.size(); ++i) {
      reference(Kind::aol, i, "client_id", r.aols[i].client_id, Kind::client, r.clients);
    }
  }
};

}  // namespace

Result<void> check_against_store(const Document& doc, Mode mode, const Lookup& lookup,
                                 bool single) {
  try {
    Checker{doc, mode, lookup, single}.run();
    return {};
  } catch (const detail::Problem& p) {
    return tl::make_unexpected(p.error);
  }
}

}  // namespace aware::registry
