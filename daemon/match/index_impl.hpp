// index_impl.hpp — the data behind MatchIndex (private to daemon/match): the owned registry
// snapshot plus the lookup structures built from it. Built once by MatchIndex's constructor
// (matcher.cpp), read by the lookups there and by find_aols (aol_search.cpp).
//
// THREAD SAFETY: immutable after construction.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/registry.hpp"
#include "match/aol_grid.hpp"
#include "match/aol_ids.hpp"
#include "match/flat_id_table.hpp"
#include "match/matcher.hpp"
#include "match/region_index.hpp"

namespace aware::match {

// The active AOLs sharing one client_id string (the "own" AOLs of that client).
struct OwnerGroup {
  std::string_view id;          // the AOLs' client_id (points into the registry)
  std::uint32_t begin = 0;      // range in MatchIndex::Impl::owned_aols
  std::uint32_t end = 0;
};

struct MatchIndex::Impl {
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  core::Registry registry;                        // owned records; everything points into it
  FlatIdTable<core::DeviceRecord> devices;        // active devices by id
  FlatIdTable<core::ClientRecord> clients;        // active clients by id
  std::vector<std::uint32_t> aops_by_id;          // active AOP positions by id (describe())
  std::vector<std::uint32_t> aols_by_id;          // active AOL positions by id (describe())
  HugeVector<std::uint32_t> device_client;        // per device position: client position or kNone
  HugeVector<std::uint32_t> client_aop_offsets;   // per client position: start in client_aops
  HugeVector<std::uint32_t> client_aops;          // active AOP positions grouped by client
  std::vector<OwnerGroup> owner_groups;
  FlatIdTable<OwnerGroup> owners;                 // owner group by client_id
  HugeVector<std::uint32_t> client_owner;         // per client position: owner group or kNone
  std::vector<std::uint32_t> owned_aols;          // grid slots of the active AOLs, by owner
  AolIds aol_ids;                                 // the AOLs' ranks and ids (aol_ids.hpp)
  AolGrid grid;
  RegionIndex regions;

  explicit Impl(core::Registry r);
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // The AOP rule of matcher.hpp for the client at `client_pos`; nullptr when it has none.
  [[nodiscard]] const core::AopRecord* aop_of(std::uint32_t client_pos, std::string_view today) const;
};

}  // namespace aware::match
