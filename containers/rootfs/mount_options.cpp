// containers/rootfs/mount_options.cpp: the option-word table (see mount_options.h).
#include "containers/rootfs/mount_options.h"

#include <sys/mount.h>

#include <array>
#include <cstdio>
#include <string_view>

#include "common/error.h"  // NotImplemented, in the student kit

namespace deploylab::ctr {
namespace {

// What a word does to the per-mount flags: set a flag, or clear one. Most options come in pairs
// ("nosuid" sets MS_NOSUID, "suid" clears it) because a bind mount inherits the source's flags
// and the remount that follows must be able to turn each one off again.
enum class Effect { set, clear };

struct FlagWord {
  std::string_view word;
  Effect effect;
  unsigned long flag;
};

constexpr std::array kFlagWords{
    FlagWord{"ro", Effect::set, MS_RDONLY},
    FlagWord{"rw", Effect::clear, MS_RDONLY},
    FlagWord{"nosuid", Effect::set, MS_NOSUID},
    FlagWord{"suid", Effect::clear, MS_NOSUID},
    FlagWord{"nodev", Effect::set, MS_NODEV},
    FlagWord{"dev", Effect::clear, MS_NODEV},
    FlagWord{"noexec", Effect::set, MS_NOEXEC},
    FlagWord{"exec", Effect::clear, MS_NOEXEC},
    FlagWord{"sync", Effect::set, MS_SYNCHRONOUS},
    FlagWord{"async", Effect::clear, MS_SYNCHRONOUS},
    FlagWord{"dirsync", Effect::set, MS_DIRSYNC},
    FlagWord{"remount", Effect::set, MS_REMOUNT},
    FlagWord{"mand", Effect::set, MS_MANDLOCK},
    FlagWord{"nomand", Effect::clear, MS_MANDLOCK},
    FlagWord{"noatime", Effect::set, MS_NOATIME},
    FlagWord{"atime", Effect::clear, MS_NOATIME},
    FlagWord{"nodiratime", Effect::set, MS_NODIRATIME},
    FlagWord{"diratime", Effect::clear, MS_NODIRATIME},
    FlagWord{"relatime", Effect::set, MS_RELATIME},
    FlagWord{"norelatime", Effect::clear, MS_RELATIME},
    FlagWord{"strictatime", Effect::set, MS_STRICTATIME},
    FlagWord{"nostrictatime", Effect::clear, MS_STRICTATIME},
};

// Propagation types: how mount and unmount events spread between this mount and its peers.
// The "r" forms apply to every mount below the target too (MS_REC).
struct PropagationWord {
  std::string_view word;
  unsigned long propagation;
};

constexpr std::array kPropagationWords{
    PropagationWord{"private", MS_PRIVATE},        PropagationWord{"rprivate", MS_PRIVATE | MS_REC},
    PropagationWord{"shared", MS_SHARED},          PropagationWord{"rshared", MS_SHARED | MS_REC},
    PropagationWord{"slave", MS_SLAVE},            PropagationWord{"rslave", MS_SLAVE | MS_REC},
    PropagationWord{"unbindable", MS_UNBINDABLE},  PropagationWord{"runbindable", MS_UNBINDABLE | MS_REC},
};

const FlagWord* find_flag_word(std::string_view word) {
  for (const auto& entry : kFlagWords) {
    if (entry.word == word) return &entry;
  }
  return nullptr;
}

const PropagationWord* find_propagation_word(std::string_view word) {
  for (const auto& entry : kPropagationWords) {
    if (entry.word == word) return &entry;
  }
  return nullptr;
}

void apply_flag(MountOptions& options, const FlagWord& entry) {
  if (entry.effect == Effect::set) {
    options.flags |= entry.flag;
    options.clear_flags &= ~entry.flag;
    return;
  }
  options.flags &= ~entry.flag;
  options.clear_flags |= entry.flag;
}

std::string hex(unsigned long value) {
  char text[32];
  std::snprintf(text, sizeof text, "0x%lx", value);
  return text;
}

void append_data(std::string& data, const std::string& word) {
  if (!data.empty()) data += ',';
  data += word;
}

}  // namespace

std::string flag_words(unsigned long flags) {
  std::string words;
  for (const auto& entry : kFlagWords) {
    if (entry.effect != Effect::set || (flags & entry.flag) == 0) continue;
    append_data(words, std::string(entry.word));
    flags &= ~entry.flag;
  }
  if (flags != 0) append_data(words, hex(flags));
  return words;
}

std::string propagation_word(unsigned long propagation) {
  for (const auto& entry : kPropagationWords) {
    if (entry.propagation == propagation) return std::string(entry.word);
  }
  return propagation == 0 ? "" : hex(propagation);
}

MountOptions parse_mount_options(const std::vector<std::string>& words) {
  MountOptions options;
  // BEGIN SOLUTION lab 6: turn option words into per-mount flags (set and cleared), propagation, bind and filesystem data
  for (const auto& word : words) {
    if (word.empty() || word == "defaults") continue;
    if (word == "bind" || word == "rbind") {
      options.bind = true;
      options.recursive = options.recursive || word == "rbind";
      continue;
    }
    if (const FlagWord* entry = find_flag_word(word)) {
      apply_flag(options, *entry);
      continue;
    }
    if (const PropagationWord* entry = find_propagation_word(word)) {
      options.propagation = entry->propagation;
      continue;
    }
    append_data(options.data, word);
  }
  // END SOLUTION
  return options;
}

}  // namespace deploylab::ctr
