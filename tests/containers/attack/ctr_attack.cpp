// tests/containers/attack/ctr_attack.cpp: the attacker in security_attack_test.cpp: a static
// program, bind-mounted read-only into a busybox container, that tries one escape or privileged
// system call busybox cannot make, and says what happened.
//
//   ctr_attack ATTACK [ARG]     exit 0: the attack was blocked (the line says how: errno name)
//                               exit 1: the attack SUCCEEDED (the container is not confined)
//                               exit 2: usage, or something unexpected
//
// Attacks: chroot-escape HOST_FILE (the classic mkdir/chroot/chdir .. escape, then looks for a
// file only the host has), mount, keyctl, unshare-user, init-module, kill PID, open-write PATH,
// read PATH. It links -static so it runs in any root file system, and it is plain C++ with no
// deploylab library: the fewer moving parts in the attacker, the clearer what a result means.
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr int kBlocked = 0;
constexpr int kSucceeded = 1;
constexpr int kUsage = 2;

// The errno's name, which the tests look for ("EPERM"), and its text.
std::string describe(int code) {
  const char* name = strerrorname_np(code);
  return std::string(name != nullptr ? name : "?") + " (" + std::strerror(code) + ")";
}

// A call's outcome: a negative result is the attack blocked, anything else it got through.
int verdict(const char* attack, long result, int code) {
  if (result < 0) {
    std::printf("%s: blocked: %s\n", attack, describe(code).c_str());
    return kBlocked;
  }
  std::printf("%s: SUCCEEDED (returned %ld)\n", attack, result);
  return kSucceeded;
}

// Leaves a chroot the old way: a chroot into a subdirectory does not move the working directory,
// so ".." walks up past the jail's root and chroot(".") makes the real root the root again. After
// pivot_root with the old root unmounted, the mount namespace's root is the container's root and
// ".." of "/" is "/": the walk goes nowhere.
int chroot_escape(const char* host_file) {
  ::mkdir("/tmp/deploylab-jail", 0700);
  if (::chroot("/tmp/deploylab-jail") != 0) return verdict("chroot-escape (chroot)", -1, errno);
  for (int i = 0; i < 64; ++i) (void)::chdir("..");
  if (::chroot(".") != 0) return verdict("chroot-escape (chroot .)", -1, errno);
  struct stat st {};
  if (::stat(host_file, &st) == 0) {
    std::printf("chroot-escape: SUCCEEDED: the host's %s is visible\n", host_file);
    return kSucceeded;
  }
  std::printf("chroot-escape: blocked: still inside the container (%s: %s)\n", host_file, describe(errno).c_str());
  return kBlocked;
}

// A zeroed "module": the kernel refuses it as not an ELF file (ENOEXEC) if it got that far at
// all, which is the attack getting through; blocked means the call itself was refused.
int init_module_attack() {
  static char image[64] = {};
  long result = ::syscall(SYS_init_module, image, sizeof image, "");
  int code = errno;
  // EPERM: refused (seccomp, or no CAP_SYS_MODULE in the initial user namespace); ENOSYS: this
  // kernel has no module loader at all. Anything else is the loader reading the image.
  if (result < 0 && code != EPERM && code != ENOSYS) {
    std::printf("init-module: SUCCEEDED: the kernel's module loader read the image (%s)\n", describe(code).c_str());
    return kSucceeded;
  }
  return verdict("init-module", result, code);
}

int read_attack(const char* path) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return verdict("read", -1, errno);
  char buffer[64];
  long got = ::read(fd, buffer, sizeof buffer);
  int code = errno;
  ::close(fd);
  if (got == 0) {
    std::printf("read: blocked: %s reads as empty (masked)\n", path);
    return kBlocked;
  }
  return verdict("read", got, code);
}

// The result of `call` and the errno it left, read after the call: in verdict(f(), errno) C++
// does not say which argument is evaluated first.
template <class Call>
int outcome(const char* attack, Call call) {
  long result = call();
  int code = errno;
  return verdict(attack, result, code);
}

int run(const std::string& attack, const char* arg) {
  if (attack == "chroot-escape" && arg != nullptr) return chroot_escape(arg);
  if (attack == "mount") return outcome("mount", [] { return ::mount("none", "/tmp", "tmpfs", 0, nullptr); });
  if (attack == "keyctl") {
    // Asks for the session keyring's id without making one: nothing is left in the kernel.
    return outcome("keyctl", [] { return ::syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0); });
  }
  if (attack == "unshare-user") return outcome("unshare-user", [] { return ::unshare(CLONE_NEWUSER); });
  if (attack == "init-module") return init_module_attack();
  if (attack == "kill" && arg != nullptr) return outcome("kill", [arg] { return ::kill(std::atoi(arg), 0); });
  if (attack == "open-write" && arg != nullptr) {
    int fd = ::open(arg, O_WRONLY | O_CLOEXEC);  // opened, never written: nothing is triggered
    int code = errno;
    if (fd >= 0) ::close(fd);
    return verdict("open-write", fd, code);
  }
  if (attack == "read" && arg != nullptr) return read_attack(arg);
  std::fprintf(stderr, "usage: ctr_attack chroot-escape HOST_FILE | mount | keyctl | unshare-user | init-module | "
                       "kill PID | open-write PATH | read PATH\n");
  return kUsage;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return run("", nullptr);
  int code = run(argv[1], argc > 2 ? argv[2] : nullptr);
  std::fflush(stdout);
  return code;
}
