#include "fosim/tools/parallel.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fosim::tools {

void for_each_index(std::size_t count, unsigned jobs, const std::atomic<bool>& stop,
                    const std::function<void(std::size_t)>& task,
                    const std::function<void(std::size_t)>& done) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex lock;
  std::size_t finished = 0;
  std::exception_ptr failure;
  auto worker = [&] {
    for (;;) {
      if (stop.load() || failed.load()) return;
      const std::size_t k = next.fetch_add(1);
      if (k >= count) return;
      try {
        task(k);
      } catch (...) {
        std::lock_guard<std::mutex> g(lock);
        if (!failure) failure = std::current_exception();
        failed = true;
        return;
      }
      std::lock_guard<std::mutex> g(lock);
      ++finished;
      if (done) done(finished);
    }
  };
  jobs = std::max(1u,
                  std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(1, count))));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace fosim::tools
