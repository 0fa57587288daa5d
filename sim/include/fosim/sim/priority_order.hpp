// Two orderings of (key, tie) entries for the simulator's queues: a monotone radix heap (the
// default) and a 4-ary heap (the general baseline, kept for comparison in tests and benchmarks).
//
// Both pop entries in ascending (key, tie) order. An `Entry` has public members
// `std::uint64_t key` and `tie` (any integer); ties must be unique among entries of one key. A
// RadixHeap<Entry, false> needs no `tie`: entries of one key come out in no promised order.
//
// The radix heap is monotone: a pushed key must not be smaller than the key of the last entry
// popped (or peeked), which holds for a simulator that never schedules into the past. It keeps
// 65 buckets; bucket b > 0 holds entries whose key first differs from the last popped key in bit
// b - 1, and bucket 0 those equal to it, sorted by tie. Pushing is O(1); popping is amortised
// O(log range) with sequential memory access, which is what makes it fast with millions of
// pending events. A push into bucket 0 must carry a larger tie than every entry there (true of a
// schedule counter); push() asserts it.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace fosim::sim {

/// Returns whether `a` comes before `b` in (key, tie) order.
template <class Entry>
constexpr bool key_tie_before(const Entry& a, const Entry& b) {
  return a.key < b.key || (a.key == b.key && a.tie < b.tie);
}

/// A monotone radix heap of entries in (key, tie) order, or in key order alone when
/// `ordered_ties` is false.
template <class Entry, bool ordered_ties = true>
class RadixHeap {
 public:
  /// Adds `e`. A key below the last one popped or peeked costs a rebuild of the heap (a clock
  /// moved on by hand after the queue was peeked: Kernel::move_clock()); any other is O(1).
  void push(const Entry& e) {
    if (e.key < last_) lower_floor(e.key);
    std::vector<Entry>& b = buckets_[bucket_of(e.key)];
    if constexpr (ordered_ties)
      assert(&b != &buckets_[0] || b.size() == head_ || b.back().tie < e.tie);
    b.push_back(e);
    ++size_;
  }

  /// Returns true when no entry is held.
  bool empty() const { return size_ == 0; }
  /// Returns the number of entries held.
  std::size_t size() const { return size_; }
  /// Returns the smallest key push() accepts: the key of the last entry popped or peeked.
  std::uint64_t floor() const { return last_; }

  /// Returns the first entry; the heap must not be empty.
  const Entry& top() {
    refill();
    return buckets_[0][head_];
  }

  /// Calls `f(entry)` for every entry held, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = head_; i < buckets_[0].size(); ++i) f(buckets_[0][i]);
    for (std::size_t b = 1; b < buckets_.size(); ++b)
      for (const Entry& e : buckets_[b]) f(e);
  }

  /// Removes the first entry; the heap must not be empty.
  void pop() {
    refill();
    ++head_;
    --size_;
  }

 private:
  /// Makes `key` the heap's floor, putting every entry held in its bucket again.
  void lower_floor(std::uint64_t key) {
    std::vector<Entry> all;
    all.reserve(size_);
    for_each([&](const Entry& e) { all.push_back(e); });
    for (std::vector<Entry>& b : buckets_) b.clear();
    head_ = 0;
    last_ = key;
    for (const Entry& e : all) buckets_[bucket_of(e.key)].push_back(e);
  }

  unsigned bucket_of(std::uint64_t key) const {
    return key == last_ ? 0u : 64u - static_cast<unsigned>(std::countl_zero(key ^ last_));
  }

  // Makes bucket 0 hold the smallest key's entries when it has none left to read.
  void refill() {
    assert(size_ > 0);
    std::vector<Entry>& zero = buckets_[0];
    if (head_ < zero.size()) return;
    zero.clear();
    head_ = 0;
    std::size_t i = 1;
    while (buckets_[i].empty()) ++i;
    std::vector<Entry>& from = buckets_[i];
    std::uint64_t least = from.front().key;
    for (const Entry& e : from) least = std::min(least, e.key);
    last_ = least;
    for (const Entry& e : from) buckets_[bucket_of(e.key)].push_back(e);  // all land below i
    // An emptied bucket keeps its memory for the next refill unless that is more than the heap
    // now holds: keeping every bucket's peak would hold several times the live entries.
    if (from.capacity() > size_)
      std::vector<Entry>().swap(from);
    else
      from.clear();
    if constexpr (ordered_ties)
      std::sort(zero.begin(), zero.end(),
                [](const Entry& a, const Entry& b) { return a.tie < b.tie; });
  }

  std::array<std::vector<Entry>, 65> buckets_;
  std::size_t head_ = 0;    ///< entries of bucket 0 before this were popped
  std::uint64_t last_ = 0;  ///< the key of bucket 0: the last key popped or peeked
  std::size_t size_ = 0;
};

/// A 4-ary min-heap of entries in (key, tie) order; no monotonicity needed.
template <class Entry>
class QuaternaryHeap {
 public:
  /// Adds `e`.
  void push(const Entry& e) {
    heap_.push_back(e);
    sift_up(heap_.size() - 1);
  }
  /// Returns true when no entry is held.
  bool empty() const { return heap_.empty(); }
  /// Returns the number of entries held.
  std::size_t size() const { return heap_.size(); }
  /// Returns the first entry; the heap must not be empty.
  const Entry& top() const { return heap_.front(); }
  /// Removes the first entry; the heap must not be empty.
  void pop() {
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
  }

  /// Calls `f(entry)` for every entry held, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const Entry& e : heap_) f(e);
  }

 private:
  static constexpr std::size_t arity = 4;

  void sift_up(std::size_t i) {
    const Entry e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / arity;
      if (!key_tie_before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  void sift_down(std::size_t i) {
    const Entry e = heap_[i];
    const std::size_t n = heap_.size();
    for (;;) {
      const std::size_t first = i * arity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t last = std::min(first + arity, n);
      for (std::size_t c = first + 1; c < last; ++c)
        if (key_tie_before(heap_[c], heap_[best])) best = c;
      if (!key_tie_before(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<Entry> heap_;
};

}  // namespace fosim::sim
