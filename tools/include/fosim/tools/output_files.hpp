// Writing a command's output files all together or not at all.
//
// A run, a replay or a sweep writes several files that belong together (a run directory's
// timeline, summary and diagram; a sweep's JSON, CSV and page). A reader must never find half
// of them, or one from this run beside one from the last. OutputFiles is the one way the
// commands write files: every output is checked before anything is written (only a regular
// file is replaced; a directory, a device or a symbolic link given as an output is refused,
// as is a path whose directory does not exist: no directory is made but the one output
// directory a command is given, and that one only inside a directory that exists, so a typing
// mistake shows rather than grows a tree), each is written to PATH.tmp beside it, a long
// run's timeline streamed there as the run goes, and commit() renames them all into place. On
// any failure, and whenever the set is dropped before commit(), every temporary is removed, and
// so is every directory the set made that is still empty.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace fosim::tools {

/// A file that could not be written (or read), and the whole sentence that says why.
struct FileError {
  std::filesystem::path file;  ///< the file or directory concerned
  std::string message;         ///< e.g. "cannot write out/summary.json: it is a directory (...)"
};

/// Returns why `path` cannot be an output, or nothing when it can: it is absent or a regular
/// file, and the directory it goes in exists.
std::optional<FileError> check_output(const std::filesystem::path& path);

/// Returns why `dir` cannot be the output directory, or nothing when it can: it is a directory,
/// or absent with a parent that exists. Makes nothing.
std::optional<FileError> check_output_dir(const std::filesystem::path& dir);

/// Makes the output directory `dir` (its parent must exist); an error when it cannot be made,
/// its parent is missing, or something other than a directory has its name.
std::optional<FileError> make_output_dir(const std::filesystem::path& dir);

/// A set of output files written together: all of them or none.
class OutputFiles {
 public:
  OutputFiles();
  /// Removes every temporary file and made directory not committed.
  ~OutputFiles();
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  /// Makes directory `dir` (whose parent must exist) for outputs; removed again, if still
  /// empty, when the set is not committed.
  std::optional<FileError> make_dir(const std::filesystem::path& dir);
  /// Declares `path` an output of the set and checks it now, before anything is written.
  std::optional<FileError> add(const std::filesystem::path& path);
  /// Gives output `path` (declared now if it was not) its whole content, written at commit().
  void set(const std::filesystem::path& path, std::string content);
  /// Opens output `path`'s temporary (declaring it) to be written as the work goes.
  std::optional<FileError> open(const std::filesystem::path& path);
  /// Returns the stream of an output open()ed before; valid until commit() or discard().
  std::ostream& stream(const std::filesystem::path& path);
  /// Returns the file descriptor of an output open()ed before (for a child process).
  int fd(const std::filesystem::path& path);
  /// Writes every content given, finishes the streamed files, checks every output again and
  /// renames them all into place; on failure removes every temporary and names the file.
  std::optional<FileError> commit();
  /// Removes every temporary file and made directory, keeping every file as it was.
  void discard();

 private:
  struct Entry;
  Entry& entry(const std::filesystem::path& path);
  std::optional<FileError> finish(Entry& e);
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<std::filesystem::path> made_dirs_;
};

}  // namespace fosim::tools
