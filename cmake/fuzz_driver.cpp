// cmake/fuzz_driver.cpp: the stand-in for libFuzzer in the normal build (cmake/DeploylabFuzz.cmake).
//
// A fuzz target only defines LLVMFuzzerTestOneInput(data, size); something else must own main()
// and decide which inputs to try. In the fuzz build that is libFuzzer, which needs clang. Here it
// is this file, so the targets build with gcc too and every `make test` runs them (NAME_smoke):
//
//   target FILE|DIR ...   runs each file once, and each regular file under each directory:
//                         replaying a crash input or a saved corpus.
//   target                runs a fixed pseudo-random sequence of inputs (the same on every run,
//                         so a failure in CI fails again on your machine) until -runs or
//                         -max_total_time is reached.
//
// It understands the libFuzzer flags the build uses (-runs=N, -max_total_time=S, -seed=N,
// -max_len=N) and ignores other -flags, so one command line works with either driver. It is
// blind (random bytes, no coverage feedback), so it finds shallow bugs only; its job is to keep
// the targets compiling and running. When a target crashes, a signal handler writes the input to
// ./crash-input, which `target crash-input` replays under a debugger.
//
// It lives beside DeploylabFuzz.cmake because nothing but that file uses it.
#include <signal.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional, as with libFuzzer: a target that needs one-time set-up defines it.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

struct Options {
  std::uint64_t runs = 10000;
  double max_seconds = 2.0;
  std::uint64_t seed = 1;
  std::size_t max_len = 4096;
  std::vector<std::string> paths;
};

// The input being run, for the crash handler. Plain globals: a signal handler may read them.
const std::uint8_t* g_current = nullptr;
std::size_t g_current_size = 0;

void write_stderr(const char* text) {
  ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

// Only async-signal-safe calls here: open, write, close, signal, raise.
extern "C" void on_crash(int signal_number) {
  write_stderr("fuzz_driver: the target crashed; writing the input to ./crash-input\n");
  int fd = ::open("crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0 && g_current != nullptr) {
    ssize_t ignored = ::write(fd, g_current, g_current_size);
    (void)ignored;
  }
  if (fd >= 0) ::close(fd);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void install_crash_handler() {
  for (int signal_number : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) ::signal(signal_number, on_crash);
}

void run_one(const std::vector<std::uint8_t>& input) {
  g_current = input.data();
  g_current_size = input.size();
  LLVMFuzzerTestOneInput(input.data(), input.size());
  g_current = nullptr;
}

bool parse_flag(std::string_view arg, std::string_view name, std::uint64_t& value) {
  if (!arg.starts_with(name)) return false;
  value = std::strtoull(std::string(arg.substr(name.size())).c_str(), nullptr, 10);
  return true;
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::uint64_t value = 0;
    if (parse_flag(arg, "-runs=", value)) {
      options.runs = value;
    } else if (parse_flag(arg, "-max_total_time=", value)) {
      options.max_seconds = static_cast<double>(value);
    } else if (parse_flag(arg, "-seed=", value)) {
      options.seed = value;
    } else if (parse_flag(arg, "-max_len=", value)) {
      options.max_len = value;
    } else if (arg.starts_with("-")) {
      std::fprintf(stderr, "fuzz_driver: ignoring %s (a libFuzzer flag this driver does not know)\n", argv[i]);
    } else {
      options.paths.emplace_back(arg);
    }
  }
  return options;
}

std::vector<std::uint8_t> read_input(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Replays every file named, and every regular file under every directory named.
int replay(const Options& options) {
  std::size_t count = 0;
  for (const auto& name : options.paths) {
    std::error_code error;
    if (std::filesystem::is_directory(name, error)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(name)) {
        if (!entry.is_regular_file()) continue;
        run_one(read_input(entry.path()));
        ++count;
      }
      continue;
    }
    if (!std::filesystem::is_regular_file(name, error)) {
      std::fprintf(stderr, "fuzz_driver: %s is neither a file nor a directory\n", name.c_str());
      return 1;
    }
    run_one(read_input(name));
    ++count;
  }
  std::fprintf(stderr, "fuzz_driver: replayed %zu inputs, no crash\n", count);
  return 0;
}

// splitmix64: a tiny generator with good output, fully determined by the seed.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Mostly short inputs (most bugs need few bytes), some up to max_len. A quarter of them are drawn
// from a few byte values only (0, 0xff, small numbers), which random bytes rarely produce but
// parsers and registers treat specially.
std::vector<std::uint8_t> random_input(std::uint64_t& state, std::size_t max_len) {
  std::size_t limit = (next_random(state) % 4 == 0) ? max_len : std::min<std::size_t>(max_len, 64);
  std::vector<std::uint8_t> input(limit == 0 ? 0 : next_random(state) % (limit + 1));
  bool few_values = next_random(state) % 4 == 0;
  for (auto& byte : input) {
    std::uint64_t r = next_random(state);
    byte = few_values ? static_cast<std::uint8_t>((r % 3 == 0) ? 0xff : r % 8) : static_cast<std::uint8_t>(r);
  }
  return input;
}

int generate(const Options& options) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  std::uint64_t state = options.seed;
  std::uint64_t run = 0;
  for (; run < options.runs; ++run) {
    if (std::chrono::duration<double>(Clock::now() - start).count() > options.max_seconds) break;
    run_one(random_input(state, options.max_len));
  }
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::fprintf(stderr, "fuzz_driver: %llu pseudo-random inputs (seed %llu) in %.2f s, no crash\n",
               static_cast<unsigned long long>(run), static_cast<unsigned long long>(options.seed), seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  Options options = parse_options(argc, argv);
  install_crash_handler();
  if (!options.paths.empty()) return replay(options);
  return generate(options);
}
