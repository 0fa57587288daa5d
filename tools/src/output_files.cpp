// OutputFiles: every output checked first, written to PATH.tmp, renamed together at the end.
#include "fosim/tools/output_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <streambuf>

#include "fosim/tools/fd_stream.hpp"

namespace fosim::tools {
namespace {

namespace fs = std::filesystem;

FileError write_error(const fs::path& path, int err) {
  return {path, "cannot write " + path.string() + ": " +
                    (err != 0 ? std::strerror(err) : std::string("write failed"))};
}

}  // namespace

namespace {

/// Why `parent`, the directory an output goes in, cannot take it; nothing when it can.
std::optional<std::string> unusable_directory(const fs::path& parent) {
  std::error_code ec;
  const fs::file_status st = fs::status(parent, ec);
  if (fs::is_directory(st)) return std::nullopt;
  if (!fs::exists(st))
    return parent.string() + " does not exist (fosim makes no directories but --out DIR)";
  return parent.string() + " is not a directory";
}

}  // namespace

std::optional<FileError> check_output(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  // Only regular files are replaced: a device, a pipe or a symbolic link named as an output
  // is refused rather than swapped for a file (which, as root, would replace /dev/null).
  if (!ec && fs::exists(st) && !fs::is_regular_file(st))
    return FileError{path, "cannot write " + path.string() + ": it is " +
                               (fs::is_directory(st) ? "a directory"
                                : fs::is_symlink(st) ? "a symbolic link"
                                                     : "not a regular file") +
                               " (give the path of a file to create or replace)"};
  const fs::path parent = fs::absolute(path, ec).parent_path();
  if (ec) return FileError{path, "cannot write " + path.string() + ": " + ec.message()};
  if (auto why = unusable_directory(parent))
    return FileError{path, "cannot write " + path.string() + ": " + *why};
  return std::nullopt;
}

std::optional<FileError> check_output_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    return FileError{dir, "cannot use " + dir.string() +
                              " as the output directory: a file of that name is in the way"};
  // Only DIR itself: a mistyped parent is an error to show, not a tree to make.
  const fs::path parent = fs::absolute(dir, ec).parent_path();
  if (ec)
    return FileError{dir,
                     "cannot use " + dir.string() + " as the output directory: " + ec.message()};
  if (auto why = unusable_directory(parent))
    return FileError{dir, "cannot make the output directory " + dir.string() + ": " + *why};
  return std::nullopt;
}

std::optional<FileError> make_output_dir(const fs::path& dir) {
  if (auto error = check_output_dir(dir)) return error;
  std::error_code ec;
  fs::create_directory(dir, ec);
  if (ec || !fs::is_directory(dir))
    return FileError{dir, "cannot use " + dir.string() + " as the output directory" +
                              (ec ? ": " + ec.message() : ": it is not a directory")};
  return std::nullopt;
}

/// One output: where it goes, its temporary, and its content or its open stream.
struct OutputFiles::Entry {
  fs::path target;
  fs::path temp;
  std::string content;
  int fd = -1;
  bool created = false;  ///< the temporary exists and is ours to remove
  std::unique_ptr<FdBuf> buf;
  std::unique_ptr<std::ostream> out;

  /// Creates the temporary afresh (never through a link someone left there); errno on failure.
  int create() {
    ::unlink(temp.c_str());
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return errno;
    created = true;
    return 0;
  }
};

OutputFiles::OutputFiles() = default;

OutputFiles::~OutputFiles() { discard(); }

std::optional<FileError> OutputFiles::make_dir(const fs::path& dir) {
  std::error_code ec;
  const bool existed = fs::exists(dir, ec);
  if (auto error = make_output_dir(dir)) return error;
  if (!existed) made_dirs_.push_back(dir);
  return std::nullopt;
}

OutputFiles::Entry& OutputFiles::entry(const fs::path& path) {
  for (const auto& e : entries_)
    if (e->target == path) return *e;
  auto e = std::make_unique<Entry>();
  e->target = path;
  e->temp = path.string() + ".tmp";
  entries_.push_back(std::move(e));
  return *entries_.back();
}

std::optional<FileError> OutputFiles::add(const fs::path& path) {
  if (auto error = check_output(path)) return error;
  entry(path);
  return std::nullopt;
}

void OutputFiles::set(const fs::path& path, std::string content) {
  entry(path).content = std::move(content);
}

std::optional<FileError> OutputFiles::open(const fs::path& path) {
  if (auto error = add(path)) return error;
  Entry& e = entry(path);
  if (e.fd >= 0) return std::nullopt;
  if (const int err = e.create()) return write_error(e.temp, err);
  e.buf = std::make_unique<FdBuf>(e.fd);
  e.out = std::make_unique<std::ostream>(e.buf.get());
  return std::nullopt;
}

std::ostream& OutputFiles::stream(const fs::path& path) { return *entry(path).out; }

int OutputFiles::fd(const fs::path& path) { return entry(path).fd; }

std::optional<FileError> OutputFiles::finish(Entry& e) {
  if (e.out) {
    e.out->flush();
    if (e.buf->error() != 0 || !*e.out) return write_error(e.target, e.buf->error());
  } else {
    if (e.fd < 0)
      if (const int err = e.create()) return write_error(e.temp, err);
    errno = 0;
    if (!write_all(e.fd, e.content)) return write_error(e.target, errno);
  }
  // A file replaced keeps its permissions; a new one gets 0666 less the umask.
  struct stat st {};
  if (::stat(e.target.c_str(), &st) == 0 && ::fchmod(e.fd, st.st_mode & 07777) != 0)
    return write_error(e.target, errno);
  if (::fsync(e.fd) != 0) return write_error(e.target, errno);
  const int fd = e.fd;
  e.fd = -1;
  if (::close(fd) != 0) return write_error(e.target, errno);
  return std::nullopt;
}

std::optional<FileError> OutputFiles::commit() {
  std::optional<FileError> error;
  // Checked again: a long run gives time for something to appear where an output goes.
  for (const auto& e : entries_)
    if (!error) error = check_output(e->target);
  for (const auto& e : entries_)
    if (!error) error = finish(*e);
  for (const auto& e : entries_) {
    if (error) break;
    std::error_code ec;
    fs::rename(e->temp, e->target, ec);
    if (ec)
      error = FileError{e->target, "cannot rename " + e->temp.string() + ": " + ec.message()};
    else
      e->created = false;
  }
  if (error) {
    discard();
    return error;
  }
  entries_.clear();
  made_dirs_.clear();
  return std::nullopt;
}

void OutputFiles::discard() {
  for (const auto& e : entries_) {
    e->out.reset();
    if (e->fd >= 0) ::close(e->fd);
    if (e->created) ::unlink(e->temp.c_str());
  }
  entries_.clear();
  // Deepest first, and only those still empty: rmdir refuses the others.
  std::sort(made_dirs_.begin(), made_dirs_.end(), [](const fs::path& a, const fs::path& b) {
    return a.string().size() > b.string().size();
  });
  for (const fs::path& dir : made_dirs_) ::rmdir(dir.c_str());
  made_dirs_.clear();
}

}  // namespace fosim::tools
