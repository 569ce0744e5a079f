// containers/runtime/init_channel.cpp: the create/init conversation (see init_channel.h).
#include "containers/runtime/init_channel.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace deploylab::ctr {

Result<std::pair<InitChannel, InitChannel>> InitChannel::make_pair() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return Error::os("socketpair", "the init channel", errno);
  }
  return std::pair<InitChannel, InitChannel>{InitChannel(UniqueFd(fds[0])), InitChannel(UniqueFd(fds[1]))};
}

Result<void> InitChannel::send(std::string_view message) {
  if (::send(fd_.get(), message.data(), message.size(), MSG_NOSIGNAL) < 0) {
    return Error::os("send", "the init channel", errno, "the other side is gone");
  }
  return {};
}

Result<std::string> InitChannel::receive(std::chrono::milliseconds timeout) {
  pollfd fd{fd_.get(), POLLIN, 0};
  int ready = 0;
  do {
    ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  if (ready < 0) return Error::os("poll", "the init channel", errno);
  if (ready == 0) return Error::invalid("no word from the container's init within " + std::to_string(timeout.count()) + " ms");
  char buffer[8192];
  ssize_t n = ::recv(fd_.get(), buffer, sizeof(buffer), 0);
  if (n < 0) return Error::os("recv", "the init channel", errno);
  return std::string(buffer, static_cast<std::size_t>(n));
}

std::string init_error_message(const Error& error) { return "error: " + error.message(); }

std::optional<std::string> parse_init_error(std::string_view message) {
  constexpr std::string_view prefix = "error: ";
  if (!message.starts_with(prefix)) return std::nullopt;
  return std::string(message.substr(prefix.size()));
}

}  // namespace deploylab::ctr
