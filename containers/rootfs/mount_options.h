// containers/rootfs/mount_options.h: the words of a mount's "options" list (config.json's
// mounts[].options, or the fourth column of /etc/fstab) turned into what mount(2) takes.
//
// mount(2) has two channels for options: generic per-mount flags (MS_RDONLY, MS_NOSUID, ...) that
// the VFS understands for every filesystem, and a `data` string that the filesystem itself parses
// ("mode=755,size=65536k" for tmpfs, "newinstance,ptmxmode=0666" for devpts). A word the table
// below knows becomes a flag; every other word is passed through to the filesystem in `data`.
// Propagation words (private, rslave, ...) cannot be combined with other flags in one mount(2)
// call, so they are kept apart: mount_plan.h turns them into a separate step.
//
// Pure: no system calls. The plan (mount_plan.h) and the executor (mounts.h) use the result.
#pragma once

#include <string>
#include <vector>

namespace deploylab::ctr {

struct MountOptions {
  unsigned long flags = 0;        // MS_* to set ("ro" -> MS_RDONLY)
  unsigned long clear_flags = 0;  // MS_* the options explicitly turn off ("rw" clears MS_RDONLY)
  unsigned long propagation = 0;  // MS_PRIVATE / MS_SHARED / MS_SLAVE / MS_UNBINDABLE, | MS_REC
  std::string data;               // the filesystem's own options, comma-separated, in input order
  bool bind = false;              // "bind" or "rbind": a bind mount whatever the mount's type
  bool recursive = false;         // "rbind": submounts of the source come along
};

// Parses option words in order; a later word wins over an earlier one ("ro,rw" is rw).
// Unknown words are not errors: the filesystem decides whether it accepts them.
MountOptions parse_mount_options(const std::vector<std::string>& words);

// The words back, for messages and plan descriptions: MS_RDONLY|MS_NOSUID -> "ro,nosuid";
// MS_SLAVE|MS_REC -> "rslave". Flags the table does not know are shown as hex.
std::string flag_words(unsigned long flags);
std::string propagation_word(unsigned long propagation);

}  // namespace deploylab::ctr
