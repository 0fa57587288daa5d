// A log's bytes to UTF-8 lines: gzip inflated with zlib, UTF-16 by its byte-order mark.
#include "log_reader.hpp"

#include <zlib.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace fosim::tools::detail {
namespace {

enum class Encoding : std::uint8_t { utf8, utf16le, utf16be };

constexpr std::size_t chunk = 1 << 16;

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

struct LogReader::State {
  std::ifstream file;
  std::istream* in = nullptr;
  bool gz = false, z_open = false, z_done = false, started = false, at_end = false;
  z_stream z{};
  std::array<char, chunk> raw_buf{};
  std::string raw_pending;  ///< bytes read before the format was known
  Encoding enc = Encoding::utf8;
  std::string carry;  ///< UTF-16 bytes of an incomplete code unit or surrogate pair
  std::string text;   ///< decoded text not yet returned
  std::size_t pos = 0;
  std::string error;

  ~State() {
    if (z_open) inflateEnd(&z);
  }

  /// Reads up to `n` bytes of the file as stored.
  std::size_t read_raw(char* buf, std::size_t n) {
    if (!raw_pending.empty()) {
      const std::size_t k = std::min(n, raw_pending.size());
      std::memcpy(buf, raw_pending.data(), k);
      raw_pending.erase(0, k);
      return k;
    }
    in->read(buf, static_cast<std::streamsize>(n));
    if (in->bad()) error = "a read error";
    return static_cast<std::size_t>(in->gcount());
  }

  /// Appends the next bytes of the content (inflated when gzip) to `out`; false at the end.
  bool read_content(std::string& out) {
    if (!gz) {
      std::array<char, chunk> buf{};
      const std::size_t n = read_raw(buf.data(), buf.size());
      out.append(buf.data(), n);
      return n != 0;
    }
    if (z_done) return false;
    std::array<char, chunk> buf{};
    for (;;) {
      if (z.avail_in == 0) {
        const std::size_t n = read_raw(raw_buf.data(), raw_buf.size());
        if (n == 0) {
          error = "the compressed file ends early (truncated .gz)";
          z_done = true;
          return false;
        }
        z.next_in = reinterpret_cast<Bytef*>(raw_buf.data());
        z.avail_in = static_cast<uInt>(n);
      }
      z.next_out = reinterpret_cast<Bytef*>(buf.data());
      z.avail_out = static_cast<uInt>(buf.size());
      const int rc = inflate(&z, Z_NO_FLUSH);
      const std::size_t got = buf.size() - z.avail_out;
      out.append(buf.data(), got);
      if (rc == Z_STREAM_END) {
        // A file of several gzip members (cat a.gz b.gz) goes on with the next.
        if (z.avail_in == 0 && (raw_pending.empty() && in->peek() == EOF)) {
          z_done = true;
          return got != 0;
        }
        inflateReset(&z);
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        error = "the compressed file is damaged (" + std::string(z.msg ? z.msg : "zlib") + ")";
        z_done = true;
        return got != 0;
      }
      if (got != 0) return true;
    }
  }

  /// Decodes `bytes` into `text`.
  void decode(std::string bytes) {
    if (enc == Encoding::utf8) {
      text += bytes;
      return;
    }
    carry += bytes;
    std::size_t i = 0;
    auto unit = [&](std::size_t at) -> std::uint32_t {
      const auto lo = static_cast<unsigned char>(carry[at]);
      const auto hi = static_cast<unsigned char>(carry[at + 1]);
      return enc == Encoding::utf16le ? (hi << 8 | lo) : (lo << 8 | hi);
    };
    while (i + 1 < carry.size()) {
      const std::uint32_t u = unit(i);
      if (u >= 0xD800 && u < 0xDC00) {
        if (i + 3 >= carry.size()) break;  // the pair's second half is still to come
        const std::uint32_t v = unit(i + 2);
        if (v >= 0xDC00 && v < 0xE000) {
          append_utf8(text, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
          i += 4;
          continue;
        }
        append_utf8(text, 0xFFFD);
      } else if (u >= 0xDC00 && u < 0xE000) {
        append_utf8(text, 0xFFFD);
      } else {
        append_utf8(text, u);
      }
      i += 2;
    }
    carry.erase(0, i);
  }

  /// Finds out how the file is stored from its first bytes.
  void start() {
    started = true;
    std::array<char, 4> head{};
    std::size_t n = 0;
    while (n < 2) {
      const std::size_t k = read_raw(head.data() + n, 2 - n);
      if (k == 0) break;
      n += k;
    }
    raw_pending.assign(head.data(), n);
    if (n == 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
        static_cast<unsigned char>(head[1]) == 0x8b) {
      gz = true;
      z_open = inflateInit2(&z, 16 + MAX_WBITS) == Z_OK;
      if (!z_open) error = "zlib could not start";
    }
    std::string first;
    while (first.size() < 3 && read_content(first)) {
    }
    const auto b = [&](std::size_t k) {
      return k < first.size() ? static_cast<unsigned char>(first[k]) : 0u;
    };
    if (b(0) == 0xFF && b(1) == 0xFE) {
      enc = Encoding::utf16le;
      first.erase(0, 2);
    } else if (b(0) == 0xFE && b(1) == 0xFF) {
      enc = Encoding::utf16be;
      first.erase(0, 2);
    } else if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
      first.erase(0, 3);
    }
    decode(std::move(first));
  }
};

LogReader::LogReader() : s_(std::make_unique<State>()) {}
LogReader::~LogReader() = default;
LogReader::LogReader(LogReader&&) noexcept = default;
LogReader& LogReader::operator=(LogReader&&) noexcept = default;

std::optional<std::string> LogReader::open(const std::string& file, std::istream* stdin_stream) {
  if (file == "-") {
    if (stdin_stream == nullptr) return "no standard input to read";
    s_->in = stdin_stream;
    return std::nullopt;
  }
  errno = 0;
  s_->file.open(file, std::ios::binary);
  if (!s_->file) return errno ? std::strerror(errno) : "open failed";
  s_->in = &s_->file;
  return std::nullopt;
}

bool LogReader::getline(std::string& line) {
  State& s = *s_;
  if (!s.started) s.start();
  for (;;) {
    const std::size_t nl = s.text.find('\n', s.pos);
    if (nl != std::string::npos) {
      line.assign(s.text, s.pos, nl - s.pos);
      s.pos = nl + 1;
      return true;
    }
    if (s.at_end) {
      if (s.pos >= s.text.size()) return false;
      line.assign(s.text, s.pos, std::string::npos);
      s.pos = s.text.size();
      return true;
    }
    s.text.erase(0, s.pos);
    s.pos = 0;
    std::string more;
    if (!s.read_content(more))
      s.at_end = true;
    else
      s.decode(std::move(more));
  }
}

const std::string& LogReader::error() const { return s_->error; }

}  // namespace fosim::tools::detail
