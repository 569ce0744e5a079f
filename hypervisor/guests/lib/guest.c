/* hypervisor/guests/lib/guest.c: the guest library of the long-mode C guests (see guest.h).
 * Built freestanding (no C library, no SSE, no red zone: cmake/DeploylabGuests.cmake), so it
 * must not call anything it does not define itself. */
#include "hypervisor/guests/lib/guest.h"

u64 guest_hypercall(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3) {
    u64 result;
    /* "memory": the VMM may read or write guest memory (DL_HC_PRINT reads the text), so the
     * compiler must have stored everything before and may not cache memory across the call. */
    __asm__ volatile("outb %%al, %[port]"
                     : "=a"(result)
                     : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3), [port] "N"(DL_PORT_HYPERCALL)
                     : "memory");
    return result;
}

static u64 string_length(const char* text) {
    u64 length = 0;
    while (text[length] != '\0') length++;
    return length;
}

void guest_print(const char* text) {
    guest_hypercall(DL_HC_PRINT, (u64)text, string_length(text), 0, 0);
}

void guest_print_u64(u64 value, unsigned base) {
    struct guest_line line;
    guest_line_init(&line);
    guest_line_add_u64(&line, value, base);
    guest_line_print(&line);
}

u64 guest_time_ns(void) { return guest_hypercall(DL_HC_GET_TIME, 0, 0, 0, 0); }

void guest_exit(int code) {
    guest_hypercall(DL_HC_EXIT, (u32)code, 0, 0, 0);
    for (;;) guest_halt(); /* the VMM does not run us again; if it does, stay put */
}

void guest_halt(void) { __asm__ volatile("hlt" ::: "memory"); }

void guest_line_init(struct guest_line* line) { line->length = 0; }

static void line_add_char(struct guest_line* line, char c) {
    if (line->length + 1 < sizeof(line->text)) line->text[line->length++] = c;
    line->text[line->length] = '\0';
}

void guest_line_add(struct guest_line* line, const char* text) {
    while (*text != '\0') line_add_char(line, *text++);
}

void guest_line_add_u64(struct guest_line* line, u64 value, unsigned base) {
    char digits[64]; /* 64 binary digits at most */
    unsigned count = 0;
    if (base < 2 || base > 16) base = 16;
    do {
        digits[count++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value != 0);
    while (count > 0) line_add_char(line, digits[--count]); /* most significant digit first */
}

void guest_line_print(struct guest_line* line) {
    line->text[line->length] = '\0';
    guest_print(line->text);
    line->length = 0;
}

void guest_outb(u32 port, u8 value) { __asm__ volatile("outb %0, %w1" ::"a"(value), "Nd"(port)); }

u8 guest_inb(u32 port) {
    u8 value;
    __asm__ volatile("inb %w1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

u32 guest_mmio_read32(u64 address) { return *(volatile u32*)address; }

void guest_mmio_write32(u64 address, u32 value) { *(volatile u32*)address = value; }
