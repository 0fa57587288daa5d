// FdBuf: buffered writes to a file descriptor, the first failure's errno kept.
#include "fosim/tools/fd_stream.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

namespace fosim::tools {
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

FdBuf::FdBuf(int fd, bool line_buffered) : fd_(fd), line_buffered_(line_buffered) {
  setp(buf_, buf_ + sizeof buf_);
}

FdBuf::int_type FdBuf::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

std::streamsize FdBuf::xsputn(const char* s, std::streamsize n) {
  if (error_ != 0) return 0;
  const std::streamsize written = std::streambuf::xsputn(s, n);
  if (line_buffered_ && std::memchr(s, '\n', static_cast<std::size_t>(written)) != nullptr &&
      !drain())
    return 0;
  return written;
}

int FdBuf::sync() { return drain() ? 0 : -1; }

bool FdBuf::drain() {
  if (error_ != 0) return false;
  errno = 0;
  if (!write_all(fd_, {pbase(), static_cast<std::size_t>(pptr() - pbase())})) {
    error_ = errno != 0 ? errno : EIO;
    return false;
  }
  setp(buf_, buf_ + sizeof buf_);
  return true;
}

const char* stream_error(const std::ostream& out) {
  const auto* buf = dynamic_cast<const FdBuf*>(out.rdbuf());
  if (buf != nullptr && buf->error() != 0) return std::strerror(buf->error());
  return "the stream refused the output";
}

}  // namespace fosim::tools
