// containers/runtime/console.h: a terminal for the container (config.json's process.terminal).
//
// With "terminal": true the container's program gets a pseudo-terminal as its stdin, stdout and
// stderr, as `docker run -t` does. The init makes it inside the container, from the container's
// own /dev/ptmx (its private devpts instance), so the program sees a tty that exists in its own
// /dev/pts. The other end, the master, must get out to whoever drives the terminal: it travels
// over a unix socket as SCM_RIGHTS ancillary data, the only way to hand an open file descriptor
// to another process.
//   - `minictr create --console-socket PATH`: the caller (a container manager) listens on PATH
//     and receives the master, as runc's callers do;
//   - `minictr run` without --detach: minictr receives it itself and copies bytes between the
//     master and its own stdin/stdout (proxy_terminal), with its terminal in raw mode.
#pragma once

#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace deploylab::ctr {

// In the init, after pivot_root: opens a pty from /dev/ptmx, makes its slave the controlling
// terminal and stdin/stdout/stderr of this process, and returns the master.
Result<UniqueFd> make_container_terminal();

// One file descriptor over a unix socket, and back.
Result<void> send_fd(int socket, int fd, std::string_view name);
Result<UniqueFd> receive_fd(int socket);

// Connects to the --console-socket a caller listens on.
Result<UniqueFd> connect_console_socket(std::string_view path);

// Copies between the terminal master and our stdin/stdout until the master closes (the
// container's program exited). Our stdin goes raw while it runs if it is a terminal.
Result<void> proxy_terminal(const UniqueFd& master);

}  // namespace deploylab::ctr
