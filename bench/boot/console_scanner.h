// bench/boot/console_scanner.h: watching a guest's serial console for the line that says
// userspace is up, as its bytes trickle in (the boot benchmark, bench/boot/README.md).
//
// The console arrives in arbitrary chunks (a pipe read, the new tail of a log file), so the
// marker may be split across two of them; QEMU's and the kernel's console lines end in "\r\n".
// The scanner keeps the unfinished last line between chunks and remembers the last complete
// lines, which a failure report shows. It can also collect every line that carries a given tag
// (bench/vm reads the guest workloads' "deploylab-bench:" lines this way). Pure: no clocks, no
// I/O; the caller notes the time when feed() first returns true.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace deploylab::bench {

class ConsoleScanner {
 public:
  explicit ConsoleScanner(std::string marker, std::size_t lines_kept = 5);

  // Takes the next chunk of console output. True exactly once: on the chunk that completes the
  // first line containing the marker.
  bool feed(std::string_view chunk);
  // Ends the stream: a last line without "\n" is scanned too. Same return value as feed().
  bool finish();

  bool seen() const { return seen_; }
  // From now on, keep every complete line containing `tag`, from the tag to the end of the line
  // (whatever the console printed before it on that line is dropped).
  void collect_lines_with(std::string tag) { tag_ = std::move(tag); }
  const std::vector<std::string>& collected() const { return collected_; }
  // The last complete lines (without "\r\n"), oldest first, joined with " | ".
  std::string last_lines() const;

 private:
  bool take_line(std::string line);

  std::string marker_;
  std::size_t lines_kept_;
  std::string partial_;
  std::deque<std::string> last_;
  bool seen_ = false;
  std::string tag_;
  std::vector<std::string> collected_;
};

// The line of a failed VMM's error output worth quoting: the first one that mentions "error"
// (any case), else the first non-empty one, else "no output". Surrounding blanks trimmed.
std::string first_error_line(std::string_view output);

}  // namespace deploylab::bench
