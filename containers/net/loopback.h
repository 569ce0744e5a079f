// containers/net/loopback.h: bringing up `lo` in a new network namespace.
//
// A new network namespace has one interface, the loopback, and it starts down: without this a
// container could not even reach 127.0.0.1. runc brings it up for every container that gets a
// new network namespace, so minictr does too. The container's init calls this from inside the
// namespace (containers/runtime/init_process.cpp), before any program of the container runs.
#pragma once

#include "common/result.h"

namespace deploylab::ctr {

// Sets IFF_UP on "lo" in the calling thread's network namespace (SIOCSIFFLAGS); needs
// CAP_NET_ADMIN there.
Result<void> bring_up_loopback();

}  // namespace deploylab::ctr
