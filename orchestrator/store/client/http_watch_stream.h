// orchestrator/store/client/http_watch_stream.h: a watch over HTTP, read by a thread (lab 10).
//
// A watch is one POST /v3/watch whose answer never ends: the server keeps writing messages
// into it as revisions happen. Reading it needs a thread that blocks on the socket, so each
// watch gets its own connection and its own reader thread; the thread cuts the stream into
// messages (json_stream.h), decodes them and queues them for next(). When the stream breaks
// (the server died or closed it), the queue ends with an `unavailable` error, after every
// message that did arrive, so the caller knows the last revision it saw and can resume.
// Closing: the destructor shuts the socket down, which wakes the blocked read at once, and
// joins the thread, so no thread outlives its stream.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "orchestrator/store/client/endpoint.h"
#include "orchestrator/store/kv.h"
#include "orchestrator/store/client/store_client.h"
#include "orchestrator/store/store_error.h"

namespace deploylab::store {

// Sends the create request and waits (up to `timeout`) until the server accepted the watch
// with a 200 (then messages follow on the stream) or refused it (its error) or cannot be
// reached (unavailable). `url` is the endpoint as given, for messages.
StoreResult<std::unique_ptr<WatchStream>> open_http_watch(const Endpoint& endpoint, const std::string& url,
                                                          const WatchRequest& request,
                                                          std::chrono::milliseconds timeout);

}  // namespace deploylab::store
