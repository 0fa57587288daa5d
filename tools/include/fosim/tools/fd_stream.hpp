// An output stream buffer on a file descriptor that keeps the reason of a failed write.
//
// std::ostream only says that a write failed, not why. A user whose disk filled up, or who sent
// standard output to /dev/full, must be told "No space left on device", so the command line's
// standard output and OutputFiles' temporaries write through this buffer: the first failed
// write's errno is kept, and every later write fails at once so nothing after a gap appears.
#pragma once

#include <streambuf>
#include <string_view>

namespace fosim::tools {

/// Writes all of `data` to `fd`, retrying after signals; false (errno set) when a write fails.
bool write_all(int fd, std::string_view data);

/// A stream buffer that writes to a file descriptor (not owned) and remembers the first error.
class FdBuf final : public std::streambuf {
 public:
  /// Writes to `fd`; a `line_buffered` buffer also writes out at the end of every line.
  explicit FdBuf(int fd, bool line_buffered = false);
  /// Returns the errno of the first failed write, 0 when none failed.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  bool drain();
  int fd_;
  bool line_buffered_;
  int error_ = 0;
  char buf_[1 << 16];
};

/// Returns why writes to `out` fail ("No space left on device"), or a general sentence when
/// its buffer does not say.
const char* stream_error(const std::ostream& out);

}  // namespace fosim::tools
