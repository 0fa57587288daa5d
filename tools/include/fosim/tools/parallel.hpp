// Many independent tasks on a few threads, with results in task order.
//
// `fosim sweep` and `fosim explore` play many runs that share nothing. Each task has an index;
// threads take the next index in turn, so when `stop` turns true (Ctrl-C) the tasks that
// finished are the first ones, whatever the number of threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

namespace fosim::tools {

/// Calls `task(k)` for every k in [0, count) on at most `jobs` threads (the caller's among them)
/// and `done(finished)` after each task, from one thread at a time. When `stop` turns true no
/// further task starts. When a task throws, no further task starts and the first exception is
/// thrown again once every thread has finished.
void for_each_index(std::size_t count, unsigned jobs, const std::atomic<bool>& stop,
                    const std::function<void(std::size_t)>& task,
                    const std::function<void(std::size_t)>& done);

}  // namespace fosim::tools
