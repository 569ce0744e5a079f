# hypervisor/fuzz.cmake: placeholder: being written
