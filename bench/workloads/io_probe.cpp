// bench/workloads/io_probe.cpp: `io-probe --dir D [--mebibytes M] [--random-ops K]`, the disk
// workload of the tradeoff table's disk row (README.md here): the same static binary on the host's
// file system, on a container's overlay and on a VM's virtio-blk disk.
//
// In D it creates io-probe.PID.dat and measures, in this order:
//   1. sequential write: M MiB in 1 MiB blocks, then fdatasync (the time includes it);
//   2. eviction: fdatasync + posix_fadvise(DONTNEED) drops the file's cached pages, and reads
//      use O_DIRECT where the file system accepts it (tmpfs and some overlays do not);
//   3. sequential read of the whole file in 1 MiB blocks;
//   4. K random 4 KiB reads at 4 KiB-aligned offsets (a fixed pseudo-random sequence);
//   5. K random 4 KiB writes, each followed by fdatasync (what a database's commit costs).
// Then it removes the file (also on SIGINT/SIGTERM) and prints one line:
//   deploylab-bench: io seq_write_mbps=.. seq_read_mbps=.. rand_read_iops=.. rand_write_iops=.. direct=yes|no
// MB/s are 10^6 bytes a second. A failure prints one line naming the call, the path and a hint,
// and exits 2.
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bench/workloads/workload_args.h"

namespace {

constexpr std::size_t kBlock = 1 << 20;  // sequential I/O
constexpr std::size_t kPage = 4096;      // random I/O, and O_DIRECT's alignment

char g_path[4096];  // the file to remove when a signal ends us (read by the handler)

double now_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void remove_file_and_exit(int) {
  if (g_path[0] != '\0') ::unlink(g_path);
  ::_exit(130);
}

// One line on stderr: the call, the path, errno's text and what to try; the file goes; exit 2.
[[noreturn]] void fail(const char* call, const char* hint) {
  int code = errno;
  std::fprintf(stderr, "io-probe: %s %s: %s (%s)\n", call, g_path, std::strerror(code), hint);
  if (g_path[0] != '\0') ::unlink(g_path);
  std::exit(2);
}

// A buffer O_DIRECT accepts: page-aligned, filled with a non-zero pattern (a file system or disk
// could store zeros specially).
std::unique_ptr<char, decltype(&std::free)> aligned_buffer(std::size_t size) {
  void* memory = nullptr;
  if (::posix_memalign(&memory, kPage, size) != 0) fail("posix_memalign", "out of memory");
  std::memset(memory, 0x5a, size);
  return {static_cast<char*>(memory), &std::free};
}

// The next 4 KiB-aligned offset of a fixed pseudo-random sequence inside a file of `pages` pages.
off_t next_offset(std::uint64_t& state, std::uint64_t pages) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return static_cast<off_t>((state % pages) * kPage);
}

void write_all_at(int fd, const char* data, std::size_t size, off_t offset) {
  if (::pwrite(fd, data, size, offset) != static_cast<ssize_t>(size)) fail("pwrite", "is the disk full?");
}

// Reads `size` bytes at `offset`; false when O_DIRECT is refused (EINVAL) so the caller falls back.
bool read_at(int fd, char* data, std::size_t size, off_t offset) {
  ssize_t n = ::pread(fd, data, size, offset);
  if (n == static_cast<ssize_t>(size)) return true;
  if (n < 0 && errno == EINVAL) return false;
  fail("pread", "the file shrank or the disk failed");
}

double sequential_write(int fd, long mebibytes, char* block) {
  double start = now_s();
  for (long i = 0; i < mebibytes; ++i) write_all_at(fd, block, kBlock, static_cast<off_t>(i) * kBlock);
  if (::fdatasync(fd) != 0) fail("fdatasync", "the file system cannot sync");
  return static_cast<double>(mebibytes) * kBlock / 1e6 / (now_s() - start);
}

// Drops the file's pages from the page cache and opens it for reading, with O_DIRECT if the file
// system takes it (a first aligned read proves it). Sets `direct` to what it got.
int open_for_reading(int write_fd, char* block, bool& direct) {
  if (::fdatasync(write_fd) != 0) fail("fdatasync", "the file system cannot sync");
  ::posix_fadvise(write_fd, 0, 0, POSIX_FADV_DONTNEED);
  int fd = ::open(g_path, O_RDONLY | O_DIRECT | O_CLOEXEC);
  if (fd >= 0 && read_at(fd, block, kPage, 0)) {
    direct = true;
    return fd;
  }
  if (fd >= 0) ::close(fd);
  direct = false;
  fd = ::open(g_path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open", "the file vanished while being measured");
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);  // no read-ahead for the random reads
  return fd;
}

double sequential_read(int fd, long mebibytes, char* block) {
  double start = now_s();
  for (long i = 0; i < mebibytes; ++i) {
    if (!read_at(fd, block, kBlock, static_cast<off_t>(i) * kBlock)) fail("pread", "O_DIRECT refused midway");
  }
  return static_cast<double>(mebibytes) * kBlock / 1e6 / (now_s() - start);
}

double random_reads(int fd, long mebibytes, long ops, char* page) {
  std::uint64_t state = 0x2545f4914f6cdd1dull, pages = static_cast<std::uint64_t>(mebibytes) * (kBlock / kPage);
  double start = now_s();
  for (long i = 0; i < ops; ++i) {
    if (!read_at(fd, page, kPage, next_offset(state, pages))) fail("pread", "O_DIRECT refused midway");
  }
  return static_cast<double>(ops) / (now_s() - start);
}

double random_synced_writes(int fd, long mebibytes, long ops, char* page) {
  std::uint64_t state = 0x9e3779b97f4a7c15ull, pages = static_cast<std::uint64_t>(mebibytes) * (kBlock / kPage);
  double start = now_s();
  for (long i = 0; i < ops; ++i) {
    write_all_at(fd, page, kPage, next_offset(state, pages));
    if (::fdatasync(fd) != 0) fail("fdatasync", "the file system cannot sync");
  }
  return static_cast<double>(ops) / (now_s() - start);
}

void remove_on_signals() {
  struct sigaction action {};
  action.sa_handler = remove_file_and_exit;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace deploylab::workloads;
  IoArgs args;
  if (std::string error = parse_io_args({argv + 1, argv + argc}, args); !error.empty()) {
    std::fprintf(stderr, "io-probe: %s\n", error.c_str());
    return 2;
  }
  std::snprintf(g_path, sizeof g_path, "%s/io-probe.%d.dat", args.dir.c_str(), static_cast<int>(::getpid()));
  remove_on_signals();
  int fd = ::open(g_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail("open", "does the directory exist, and may we write there?");
  auto block = aligned_buffer(kBlock);
  IoResult result;
  result.seq_write_mbps = sequential_write(fd, args.mebibytes, block.get());
  int read_fd = open_for_reading(fd, block.get(), result.direct);
  result.seq_read_mbps = sequential_read(read_fd, args.mebibytes, block.get());
  result.rand_read_iops = random_reads(read_fd, args.mebibytes, args.random_ops, block.get());
  result.rand_write_iops = random_synced_writes(fd, args.mebibytes, args.random_ops, block.get());
  ::close(read_fd);
  ::close(fd);
  if (::unlink(g_path) != 0) fail("unlink", "the file could not be removed; delete it by hand");
  std::printf("%s\n", io_line(result).c_str());
  return 0;
}
