// huge_pages.hpp — an allocator for the index's large arrays that asks Linux for transparent huge
// pages (madvise MADV_HUGEPAGE; the system's THP setting is usually "madvise", so nothing is
// huge unless asked). A query reads a few dozen places scattered over tens of megabytes of grid
// cells, ids and lookup tables; with 4 KiB pages nearly every one of them is a TLB miss too, and
// a page walk under virtualisation costs several more cache misses. With 2 MiB pages the walks
// mostly disappear (measured in docs/performance.md).
//
// Small arrays (< 1 MiB) are allocated normally. Elsewhere than Linux it is a plain allocator.
//
// THREAD SAFETY: stateless; like std::allocator.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace aware::match {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::size_t kThreshold = std::size_t{1} << 20;

  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>&) {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kThreshold) {
      return std::allocator<T>{}.allocate(n);
    }
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) {
      throw std::bad_alloc{};
    }
#if defined(__linux__)
    ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint; failure changes only the speed
#endif
    return static_cast<T*>(p);
  }

  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kThreshold) {
      std::allocator<T>{}.deallocate(p, n);
    } else {
      std::free(p);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

// A vector whose storage, when large, lies on huge pages.
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace aware::match
