// containers/runtime/console.cpp: the container's terminal (see console.h).
#include "containers/runtime/console.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/file_io.h"

namespace deploylab::ctr {
namespace {

// Our terminal in raw mode for as long as it lives (keys go to the container as typed).
class RawMode {
 public:
  explicit RawMode(int fd) : fd_(fd) {
    if (!::isatty(fd) || ::tcgetattr(fd, &saved_) != 0) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);
    active_ = ::tcsetattr(fd, TCSANOW, &raw) == 0;
  }
  ~RawMode() {
    if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
  }
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

// Copies what is readable on `from` to `to`; false at end of file.
bool copy_some(int from, int to) {
  char buffer[4096];
  ssize_t n = ::read(from, buffer, sizeof(buffer));
  if (n <= 0) return n < 0 && errno == EINTR;
  return write_all(to, std::string_view(buffer, static_cast<std::size_t>(n)), "the terminal").ok();
}

}  // namespace

Result<UniqueFd> make_container_terminal() {
  UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master.valid()) return Error::os("posix_openpt", "/dev/ptmx", errno, "is /dev/pts mounted with newinstance and ptmx linked?");
  if (::unlockpt(master.get()) != 0) return Error::os("unlockpt", "/dev/ptmx", errno);
  // TIOCGPTPEER opens the slave through the master: no path lookup that could land elsewhere.
  UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY));
  if (!slave.valid()) return Error::os("ioctl(TIOCGPTPEER)", "the container's pty", errno);
  if (::setsid() < 0) return Error::os("setsid", "the container's init", errno);
  if (::ioctl(slave.get(), TIOCSCTTY, 0) != 0) return Error::os("ioctl(TIOCSCTTY)", "the container's pty", errno);
  for (int target : {0, 1, 2}) {
    if (::dup2(slave.get(), target) < 0) return Error::os("dup2", "the container's pty", errno);
  }
  return master;
}

Result<void> send_fd(int socket, int fd, std::string_view name) {
  char control[CMSG_SPACE(sizeof(int))] = {};
  std::string payload(name.empty() ? std::string_view("fd") : name);
  iovec io{payload.data(), payload.size()};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(header), &fd, sizeof(int));
  if (::sendmsg(socket, &message, MSG_NOSIGNAL) < 0) return Error::os("sendmsg(SCM_RIGHTS)", std::string(name), errno);
  return {};
}

Result<UniqueFd> receive_fd(int socket) {
  char control[CMSG_SPACE(sizeof(int))] = {};
  char payload[256];
  iovec io{payload, sizeof(payload)};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  if (::recvmsg(socket, &message, MSG_CMSG_CLOEXEC) < 0) return Error::os("recvmsg(SCM_RIGHTS)", "the console socket", errno);
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  if (header == nullptr || header->cmsg_type != SCM_RIGHTS) {
    return Error::invalid("no file descriptor came over the console socket", "", "did the container's init fail? see its error");
  }
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(header), sizeof(int));
  return UniqueFd(fd);
}

Result<UniqueFd> connect_console_socket(std::string_view path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) return Error::invalid("console socket path too long", std::string(path));
  std::memcpy(address.sun_path, path.data(), path.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error::os("socket", std::string(path), errno);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    return Error::os("connect", std::string(path), errno, "--console-socket names a unix socket the caller listens on");
  }
  return fd;
}

Result<void> proxy_terminal(const UniqueFd& master) {
  RawMode raw(STDIN_FILENO);
  bool stdin_open = true;
  for (;;) {
    pollfd fds[2] = {{master.get(), POLLIN, 0}, {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Error::os("poll", "the container's terminal", errno);
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!copy_some(master.get(), STDOUT_FILENO)) return {};  // EIO: the program closed its tty
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      stdin_open = copy_some(STDIN_FILENO, master.get());
      // A pty has no half-close: the end of our input reaches the program as the EOF character
      // (^D), which a program reading its terminal line by line takes as the end of its input.
      if (!stdin_open) (void)write_all(master.get(), "\x04", "the container's terminal");
    }
  }
}

}  // namespace deploylab::ctr
