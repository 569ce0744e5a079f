// bench/network/net_probe.cpp: `net-probe`, the two ends of one network measurement. net-bench
// (net_bench.h) runs it on the benchmark's host, and inside containers, where it is bind-mounted
// into a busybox root: so it is linked statically and uses nothing but the C++ standard library
// and POSIX sockets.
//
//   net-probe serve PORT                      answer every connection until killed
//   net-probe rr HOST PORT [COUNT]            request/response: COUNT 1-byte round trips
//   net-probe spin HOST PORT [COUNT]          the same, both ends spinning instead of sleeping
//   net-probe stream HOST PORT [MIB]          bulk: send MIB mebibytes, wait for the count back
//
// The client prints one line of JSON: {"rr_us":[...]} with every round trip in microseconds, or
// {"bytes":N,"seconds":S}. The first byte of a connection says what the client wants: 'r' for
// echo (each byte comes straight back), 'p' for echo with both ends polling in a busy loop
// (MSG_DONTWAIT) instead of sleeping in read(), 's' for sink (read to the end of the stream, then answer
// with the byte count as 8 bytes). Why spin: a sleeping process is woken by an interrupt,
// and on a virtual machine an idle vCPU has halted into the hypervisor, so a wake-up can cost
// more than the packet's whole path; the spinning run shows the path alone. TCP_NODELAY on both ends, so a 1-byte request is one segment
// and the latency is the network path's, not Nagle's delayed ACK.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "net-probe: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

void no_delay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

bool read_exact(int fd, char* buffer, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, buffer, size);
    if (n <= 0) return false;
    buffer += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool write_exact(int fd, const char* buffer, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, buffer, size);
    if (n <= 0) return false;
    buffer += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// read_exact, but without ever sleeping: recv(MSG_DONTWAIT) until the bytes are there.
bool spin_read_exact(int fd, char* buffer, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::recv(fd, buffer, size, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return false;
    if (n < 0) continue;
    buffer += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

using Reader = bool (*)(int, char*, std::size_t);

// One connection on the server side: echo or sink, as its first byte asks.
void answer(int fd) {
  no_delay(fd);
  char mode = 0;
  if (read_exact(fd, &mode, 1) && (mode == 'r' || mode == 'p')) {
    Reader reader = mode == 'p' ? spin_read_exact : read_exact;
    char byte = 0;
    while (reader(fd, &byte, 1) && write_exact(fd, &byte, 1)) {
    }
  } else if (mode == 's') {
    std::vector<char> buffer(1 << 18);
    std::uint64_t total = 0;
    for (ssize_t n; (n = ::read(fd, buffer.data(), buffer.size())) > 0;) total += static_cast<std::uint64_t>(n);
    write_exact(fd, reinterpret_cast<const char*>(&total), sizeof total);
  }
  ::close(fd);
}

int serve(int port) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) die("socket");
  int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind port " + std::to_string(port));
  if (::listen(listener, 16) != 0) die("listen");
  std::printf("listening on %d\n", port);
  std::fflush(stdout);
  for (;;) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::thread(answer, fd).detach();
  }
}

int connect_to(const std::string& host, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    std::fprintf(stderr, "net-probe: %s is not an IPv4 address\n", host.c_str());
    std::exit(2);
  }
  // The server may still be starting: a few tries before giving up.
  for (int attempt = 0; ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0; ++attempt) {
    if (attempt == 50) die("connect " + host + ":" + std::to_string(port));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  no_delay(fd);
  return fd;
}

int request_response(const std::string& host, int port, int count, char mode) {
  int fd = connect_to(host, port);
  Reader reader = mode == 'p' ? spin_read_exact : read_exact;
  if (!write_exact(fd, &mode, 1)) die("write");
  std::string json = "{\"rr_us\":[";
  for (int i = 0; i < count; ++i) {
    char byte = 'x';
    auto start = std::chrono::steady_clock::now();
    if (!write_exact(fd, &byte, 1) || !reader(fd, &byte, 1)) die("round trip");
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    char number[32];
    std::snprintf(number, sizeof number, "%s%.2f", i == 0 ? "" : ",", us);
    json += number;
  }
  std::printf("%s]}\n", json.c_str());
  ::close(fd);
  return 0;
}

int stream(const std::string& host, int port, long mebibytes) {
  int fd = connect_to(host, port);
  std::vector<char> buffer(1 << 18, 'x');
  const std::uint64_t total = static_cast<std::uint64_t>(mebibytes) << 20;
  auto start = std::chrono::steady_clock::now();
  if (!write_exact(fd, "s", 1)) die("write");
  for (std::uint64_t sent = 0; sent < total; sent += buffer.size()) {
    if (!write_exact(fd, buffer.data(), buffer.size())) die("write");
  }
  ::shutdown(fd, SHUT_WR);
  std::uint64_t received = 0;
  if (!read_exact(fd, reinterpret_cast<char*>(&received), sizeof received)) die("read the count");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (received != total) {
    std::fprintf(stderr, "net-probe: sent %llu bytes, the server counted %llu\n", static_cast<unsigned long long>(total),
                 static_cast<unsigned long long>(received));
    return 1;
  }
  std::printf("{\"bytes\":%llu,\"seconds\":%.6f}\n", static_cast<unsigned long long>(total), seconds);
  ::close(fd);
  return 0;
}

// A count or port from the command line: a whole number in [1, max], else usage error.
long number(const std::string& text, long max, const char* what) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 1 || value > max) {
    std::fprintf(stderr, "net-probe: %s must be a whole number from 1 to %ld, not \"%s\"\n", what, max, text.c_str());
    std::exit(2);
  }
  return value;
}

int usage() {
  std::fprintf(stderr,
               "usage: net-probe serve PORT | rr HOST PORT [COUNT] | spin HOST PORT [COUNT] | stream HOST PORT [MIB]\n"
               "  (bench/network/README.md; net-bench runs it for you)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "serve") return serve(static_cast<int>(number(args[1], 65535, "PORT")));
  if (args.size() < 3 || args.size() > 4) return usage();
  int port = static_cast<int>(number(args[2], 65535, "PORT"));
  int count = args.size() > 3 && args[0] != "stream" ? static_cast<int>(number(args[3], 10000000, "COUNT")) : 2000;
  if (args[0] == "rr") return request_response(args[1], port, count, 'r');
  if (args[0] == "spin") return request_response(args[1], port, count, 'p');
  if (args[0] == "stream") return stream(args[1], port, args.size() > 3 ? number(args[3], 1 << 20, "MIB") : 256);
  return usage();
}
