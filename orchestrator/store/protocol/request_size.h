// orchestrator/store/protocol/request_size.h: how big a write request is, in the terms of etcd's
// --max-request-bytes (1.5 MiB by default).
//
// etcd does not limit the JSON it receives: it limits the request after decoding, as it would
// be written to the raft log (protobuf: a tag and a length before each field, the bytes of keys
// and values as they are, small integers in one or two bytes). Because the gateway's JSON carries
// keys and values in base64 (4 bytes for every 3), a put of a 1.5 MiB value travels as a body of
// about 2 MiB and is still refused only for the value's size. What etcd 3.4 did with a 3-byte key:
//   value of 1,572,000 bytes (body 2,096,028 bytes)  -> accepted
//   value of 1,572,864 bytes (body 2,097,180 bytes)  -> 400 "etcdserver: request is too large"
//   decoded request over 2 MiB (gRPC's own limit)   -> 429 "grpc: received message larger than max"
// request_size() estimates the raft-log size the same way, so ministore draws the line at the
// same place. Reads are not limited this way (they do not go through the log).
#pragma once

#include <cstddef>

#include "orchestrator/store/kv.h"

namespace deploylab::store {

inline constexpr std::size_t kDefaultMaxRequestBytes = 1536 * 1024;  // etcd's --max-request-bytes

std::size_t request_size(const PutRequest& request);
std::size_t request_size(const DeleteRangeRequest& request);
std::size_t request_size(const TxnRequest& request);

}  // namespace deploylab::store
