// hypervisor/boot/aml.cpp: encoding AML names, lengths, data objects and resource descriptors
// (see aml.h for the formats).
#include "hypervisor/boot/aml.h"

#include <string>

#include "common/error.h"
#include "hypervisor/kvm/guest_memory.h"

namespace deploylab::hv::aml {

namespace {

[[noreturn]] void invalid(const std::string& what, const std::string& hint) {
  throw ErrorException(Error::invalid(what, "AML", hint));
}

// `value`'s low `size` bytes, little-endian.
void put_le(Bytes& to, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i) to.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

bool is_lead_name_char(char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_lead_name_char(c) || (c >= '0' && c <= '9'); }

// How many bytes the PkgLength of a package with `contents` bytes takes: the smallest n for which
// contents + n still fits in an n-byte PkgLength.
int pkg_length_size(std::size_t contents) {
  if (contents + 1 <= 0x3f) return 1;
  if (contents + 2 <= 0xfff) return 2;
  if (contents + 3 <= 0xfffff) return 3;
  return 4;
}

// The descriptors' 16-bit "length of what follows the header" field, for large items.
void put_large_header(Bytes& to, std::uint8_t tag, std::uint16_t length) {
  to.push_back(tag);
  put_le(to, length, 2);
}

}  // namespace

void append(Bytes& to, const Bytes& bytes) { to.insert(to.end(), bytes.begin(), bytes.end()); }

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& part : parts) append(out, part);
  return out;
}

Bytes name_seg(std::string_view name) {
  if (name.empty() || name.size() > 4 || !is_lead_name_char(name[0])) {
    invalid("NameSeg \"" + std::string(name) + "\"",
            "1-4 characters, the first A-Z or '_'");
  }
  Bytes out;
  for (std::size_t i = 0; i < 4; ++i) {
    const char c = i < name.size() ? name[i] : '_';
    if (!is_name_char(c)) {
      invalid("NameSeg \"" + std::string(name) + "\"", "use only A-Z, 0-9 and '_'");
    }
    out.push_back(static_cast<std::uint8_t>(c));
  }
  return out;
}

Bytes name_string(std::string_view path) {
  Bytes out;
  if (!path.empty() && path[0] == '\\') {
    out.push_back(kRootChar);
    path.remove_prefix(1);
  }
  std::vector<std::string_view> segments;
  for (std::size_t dot; (dot = path.find('.')) != std::string_view::npos;) {
    segments.push_back(path.substr(0, dot));
    path.remove_prefix(dot + 1);
  }
  segments.push_back(path);
  if (segments.size() == 2) out.push_back(kDualNamePrefix);
  if (segments.size() > 2) {
    out.push_back(kMultiNamePrefix);
    out.push_back(static_cast<std::uint8_t>(segments.size()));
  }
  for (auto segment : segments) append(out, name_seg(segment));
  return out;
}

Bytes pkg_length(std::uint32_t value) {
  if (value > kMaxPkgLength) {
    invalid("PkgLength " + hex(value), "a package spans at most " + hex(kMaxPkgLength) + " bytes");
  }
  if (value <= 0x3f) return {static_cast<std::uint8_t>(value)};
  const int following = value <= 0xfff ? 1 : value <= 0xfffff ? 2 : 3;
  Bytes out{static_cast<std::uint8_t>(following << 6 | (value & 0xf))};
  put_le(out, value >> 4, following);
  return out;
}

Bytes package(const Bytes& contents) {
  const std::size_t total = contents.size() + pkg_length_size(contents.size());
  if (total > kMaxPkgLength) {
    invalid("a package of " + std::to_string(contents.size()) + " bytes",
            "a package spans at most " + hex(kMaxPkgLength) + " bytes");
  }
  return concat({pkg_length(static_cast<std::uint32_t>(total)), contents});
}

Bytes integer(std::uint64_t value) {
  if (value == 0) return {kZeroOp};
  if (value == 1) return {kOneOp};
  Bytes out;
  if (value <= 0xff) {
    out.push_back(kBytePrefix);
    put_le(out, value, 1);
  } else if (value <= 0xffff) {
    out.push_back(kWordPrefix);
    put_le(out, value, 2);
  } else if (value <= 0xffffffff) {
    out.push_back(kDWordPrefix);
    put_le(out, value, 4);
  } else {
    out.push_back(kQWordPrefix);
    put_le(out, value, 8);
  }
  return out;
}

Bytes string(std::string_view text) {
  Bytes out{kStringPrefix};
  for (char c : text) {
    if (c <= 0 || static_cast<unsigned char>(c) > 0x7f) {
      invalid("string \"" + std::string(text) + "\"", "AML strings are ASCII 0x01-0x7f");
    }
    out.push_back(static_cast<std::uint8_t>(c));
  }
  out.push_back(0);
  return out;
}

Bytes name(std::string_view name, const Bytes& object) {
  return concat({{kNameOp}, name_string(name), object});
}

Bytes scope(std::string_view path, const Bytes& body) {
  return concat({{kScopeOp}, package(concat({name_string(path), body}))});
}

Bytes device(std::string_view name, const Bytes& body) {
  return concat({{kExtOpPrefix, kDeviceOp}, package(concat({name_string(name), body}))});
}

Bytes buffer(const Bytes& bytes) {
  return concat({{kBufferOp}, package(concat({integer(bytes.size()), bytes}))});
}

Bytes package_of(std::initializer_list<Bytes> elements) {
  Bytes body{static_cast<std::uint8_t>(elements.size())};
  for (const Bytes& element : elements) append(body, element);
  return concat({{kPackageOp}, package(body)});
}

Bytes io_port(std::uint16_t port, std::uint8_t count) {
  Bytes out{kIoPortDescriptor, 0x01};  // information bit 0: the device decodes 16 address bits
  put_le(out, port, 2);                // minimum base
  put_le(out, port, 2);                // maximum base: the same, so the range is fixed
  out.push_back(1);                    // alignment (irrelevant for a fixed range)
  out.push_back(count);
  return out;
}

Bytes memory32_fixed(Access access, std::uint32_t base, std::uint32_t length) {
  Bytes out;
  put_large_header(out, kMemory32FixedDescriptor, 9);
  out.push_back(access == Access::read_write ? 1 : 0);
  put_le(out, base, 4);
  put_le(out, length, 4);
  return out;
}

Bytes extended_interrupt(Trigger trigger, Polarity polarity, Sharing sharing,
                         std::span<const std::uint32_t> gsis) {
  if (gsis.empty() || gsis.size() > 255) {
    invalid("an interrupt descriptor with " + std::to_string(gsis.size()) + " GSIs",
            "list between 1 and 255 interrupts");
  }
  std::uint8_t flags = 1;  // bit 0: ResourceConsumer, the device uses the interrupt
  if (trigger == Trigger::edge) flags |= 1 << 1;
  if (polarity == Polarity::active_low) flags |= 1 << 2;
  if (sharing == Sharing::shared) flags |= 1 << 3;

  Bytes out;
  put_large_header(out, kExtendedInterruptDescriptor,
                   static_cast<std::uint16_t>(2 + 4 * gsis.size()));
  out.push_back(flags);
  out.push_back(static_cast<std::uint8_t>(gsis.size()));
  for (std::uint32_t gsi : gsis) put_le(out, gsi, 4);
  return out;
}

Bytes end_tag() { return {kEndTag, 0}; }

Bytes resource_template(std::initializer_list<Bytes> descriptors) {
  Bytes list;
  for (const auto& descriptor : descriptors) append(list, descriptor);
  append(list, end_tag());
  return buffer(list);
}

}  // namespace deploylab::hv::aml
