// The future-event list: (at, seq) order, FIFO ties, cancellation contract, on both ordering
// structures (the radix heap the simulator runs on and the 4-ary heap baseline).
#include "fosim/sim/event_queue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <variant>
#include <vector>

#include "fosim/sim/rng.hpp"
#include "fosim/sim/server.hpp"
#include "fosim/sim/sim_event.hpp"

using fosim::core::Duration;
using fosim::core::Instant;
using fosim::sim::EventId;
using fosim::sim::EventQueue;

namespace {
Instant ms(std::int64_t v) { return Instant{Duration{v}}; }

template <class Payload>
using RadixQueue = EventQueue<Payload, fosim::sim::RadixHeap>;
template <class Payload>
using HeapQueue = EventQueue<Payload, fosim::sim::QuaternaryHeap>;

// doctest's template cases take a type; this one names a queue family.
template <template <class> class Queue>
struct Family {
  template <class Payload>
  using Of = Queue<Payload>;
};
using Radix = Family<RadixQueue>;
using Heap = Family<HeapQueue>;
}  // namespace

TEST_SUITE("sim") {
  TEST_CASE_TEMPLATE("event_queue: order: by time, ties in schedule order", F, Radix, Heap) {
    typename F::template Of<int> q;
    q.schedule(ms(30), 1);
    q.schedule(ms(10), 2);
    q.schedule(ms(30), 3);
    q.schedule(ms(10), 4);
    q.schedule(ms(20), 5);
    std::vector<int> order;
    while (!q.empty()) order.push_back(q.pop().payload);
    CHECK(order == std::vector<int>{2, 4, 5, 1, 3});
  }

  TEST_CASE_TEMPLATE("event_queue: an event earlier than the one last peeked comes first", F, Radix,
                     Heap) {
    // The clock moved on by hand to 15 after the queue was peeked at 20 (an exploration acting
    // between events): what is scheduled at 15 runs before the events at 20 and 40.
    typename F::template Of<int> q;
    q.schedule(ms(5), 1);
    q.schedule(ms(20), 2);
    q.schedule(ms(40), 3);
    q.schedule(ms(20), 4);
    CHECK(q.pop().payload == 1);
    CHECK(q.next_at() == ms(20));
    q.post(ms(15), 5);
    q.schedule(ms(20), 6);
    std::vector<int> order;
    while (!q.empty()) order.push_back(q.pop().payload);
    CHECK(order == std::vector<int>{5, 2, 4, 6, 3});
  }

  TEST_CASE_TEMPLATE("event_queue: cancel: pending events only", F, Radix, Heap) {
    typename F::template Of<int> q;
    const EventId a = q.schedule(ms(10), 1);
    const EventId b = q.schedule(ms(20), 2);
    CHECK(q.pending(a));
    CHECK(q.cancel(a));
    CHECK_FALSE(q.cancel(a));  // already cancelled
    CHECK_FALSE(q.pending(a));
    CHECK(q.size() == 1);
    CHECK(q.pop().payload == 2);
    CHECK_FALSE(q.cancel(b));          // already ran
    CHECK_FALSE(q.cancel(EventId{}));  // never existed
    CHECK(q.empty());
  }

  TEST_CASE_TEMPLATE("event_queue: post: id-less events keep (at, seq) order with the others", F,
                     Radix, Heap) {
    typename F::template Of<int> q;
    q.post(ms(20), 1);
    const EventId b = q.schedule(ms(10), 2);
    q.post(ms(10), 3);
    const EventId d = q.schedule(ms(20), 4);
    q.post(ms(5), 5);
    CHECK(q.size() == 5);
    CHECK(q.cancel(d));
    std::vector<int> order;
    while (!q.empty()) order.push_back(q.pop().payload);
    CHECK(order == std::vector<int>{5, 2, 3, 1});
    CHECK_FALSE(q.cancel(b));  // ran
    CHECK(q.size() == 0);
  }

  TEST_CASE_TEMPLATE("event_queue: cancel: a reused slot does not revive an old id", F, Radix,
                     Heap) {
    typename F::template Of<int> q;
    const EventId a = q.schedule(ms(10), 1);
    q.pop();
    const EventId b = q.schedule(ms(20), 2);  // reuses a's slot
    CHECK(a.slot == b.slot);
    CHECK_FALSE(q.cancel(a));
    CHECK(q.pending(b));
  }

  TEST_CASE_TEMPLATE("event_queue: order: matches a sorted reference under random load", F, Radix,
                     Heap) {
    fosim::sim::Rng rng(7);
    INFO("seed 7");
    typename F::template Of<std::uint64_t> q;
    std::vector<std::pair<std::int64_t, std::uint64_t>> expected;
    std::vector<EventId> ids;
    for (std::uint64_t i = 0; i < 5000; ++i) {
      const auto at = static_cast<std::int64_t>(rng.below(1000));
      ids.push_back(q.schedule(ms(at), i));
      expected.emplace_back(at, i);
    }
    // Cancel every third event.
    std::vector<std::pair<std::int64_t, std::uint64_t>> kept;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (i % 3 == 0)
        CHECK(q.cancel(ids[i]));
      else
        kept.push_back(expected[i]);
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::size_t n = 0;
    bool same = true;
    while (!q.empty()) {
      const auto due = q.pop();
      same = same && due.payload == kept[n].second && due.at == ms(kept[n].first);
      ++n;
    }
    CHECK(same);
    CHECK(n == kept.size());
    CHECK(n == 3333);
  }

  TEST_CASE_TEMPLATE("event_queue: order: a running simulation keeps (at, seq) order", F, Radix,
                     Heap) {
    // Hold model with ties: each pop schedules one or two events at or after the popped instant,
    // a quarter of them at that very instant, and cancels one pending event in eight. The
    // reference is a std::map keyed by (at, seq).
    fosim::sim::Rng rng(11);
    INFO("seed 11");
    typename F::template Of<std::uint64_t> q;
    std::map<std::pair<std::int64_t, std::uint64_t>, EventId> reference;
    std::uint64_t seq = 0;
    auto add = [&](std::int64_t at) {
      reference[{at, seq}] = q.schedule(ms(at), seq);
      ++seq;
    };
    for (int i = 0; i < 1000; ++i) add(static_cast<std::int64_t>(rng.below(5000)));
    std::size_t popped = 0;
    bool same = true;
    while (!q.empty() && popped < 20000) {
      const auto due = q.pop();
      const auto expected = reference.begin();
      same = same && due.at == ms(expected->first.first) && due.payload == expected->first.second;
      reference.erase(expected);
      ++popped;
      const std::int64_t now = due.at.time_since_epoch().count();
      const int children = popped < 19000 ? 1 + static_cast<int>(rng.below(2)) : 0;
      for (int c = 0; c < children; ++c)
        add(rng.below(4) == 0 ? now : now + static_cast<std::int64_t>(rng.below(3000)));
      if (rng.below(8) == 0 && !reference.empty()) {
        auto victim = std::next(
            reference.begin(),
            static_cast<std::ptrdiff_t>(rng.below(std::min<std::uint64_t>(reference.size(), 50))));
        CHECK(q.cancel(victim->second));
        reference.erase(victim);
      }
    }
    CHECK(same);
    CHECK(popped == 20000);
    CHECK(q.size() == reference.size());
  }

  TEST_CASE_TEMPLATE("event_queue: payload: the simulator's typed events come out as they went in",
                     F, Radix, Heap) {
    namespace ev = fosim::sim::ev;
    typename F::template Of<fosim::sim::SimEvent> q;
    q.post(ms(40), ev::ClientTimer{70000, 4000000000u});
    q.schedule(ms(40), ev::ServerTimer{1, fosim::sim::TimerKind::receive});
    q.post(ms(10), ev::Fin{0, 12});
    q.post(ms(40), ev::ClientDeparts{3});
    const auto fin = q.pop();
    CHECK(fin.at == ms(10));
    REQUIRE(std::holds_alternative<ev::Fin>(fin.payload));
    CHECK(std::get<ev::Fin>(fin.payload).server == 0);
    CHECK(std::get<ev::Fin>(fin.payload).connection == 12);
    const auto timer = q.pop();
    REQUIRE(std::holds_alternative<ev::ClientTimer>(timer.payload));
    CHECK(std::get<ev::ClientTimer>(timer.payload).client == 70000);
    CHECK(std::get<ev::ClientTimer>(timer.payload).generation == 4000000000u);
    const auto server = q.pop();
    REQUIRE(std::holds_alternative<ev::ServerTimer>(server.payload));
    CHECK(std::get<ev::ServerTimer>(server.payload).server == 1);
    CHECK(std::get<ev::ServerTimer>(server.payload).timer == fosim::sim::TimerKind::receive);
    const auto departs = q.pop();
    REQUIRE(std::holds_alternative<ev::ClientDeparts>(departs.payload));
    CHECK(std::get<ev::ClientDeparts>(departs.payload).client == 3);
    CHECK(q.empty());
  }

  TEST_CASE("rng: below: bounded and reproducible") {
    fosim::sim::Rng a(42), b(42);
    bool equal = true, bounded = true;
    for (int i = 0; i < 1000; ++i) {
      const auto x = a.below(10);
      equal = equal && x == b.below(10);
      bounded = bounded && x < 10;
    }
    CHECK(equal);
    CHECK(bounded);
    // std::mt19937_64's 10000th output for the default seed is fixed by the standard.
    std::mt19937_64 engine;
    engine.discard(9999);
    CHECK(engine() == 9981545732273789042ULL);
  }
}
