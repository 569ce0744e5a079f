// orchestrator/store/store_error.cpp: etcd's messages and status codes for StoreErrc
// (store_error.h). The texts are the ones etcd 3.4 puts in its gateway's "error" field, and the
// HTTP statuses the ones its gateway answered with when we asked (protocol/README.md).
#include "orchestrator/store/store_error.h"

namespace deploylab::store {
namespace {

struct Known {
  const char* message;
  int grpc;  // google.golang.org/grpc/codes
};

Known known(StoreErrc code) {
  switch (code) {
    case StoreErrc::compacted: return {"etcdserver: mvcc: required revision has been compacted", 11};
    case StoreErrc::future_revision: return {"etcdserver: mvcc: required revision is a future revision", 11};
    case StoreErrc::key_not_found: return {"etcdserver: key not found", 3};
    case StoreErrc::empty_key: return {"etcdserver: key is not provided", 3};
    case StoreErrc::lease_not_found: return {"etcdserver: requested lease not found", 5};
    case StoreErrc::lease_exists: return {"etcdserver: lease already exists", 9};
    case StoreErrc::lease_ttl_too_large: return {"etcdserver: too large lease TTL", 11};
    case StoreErrc::too_many_ops: return {"etcdserver: too many operations in txn request", 3};
    case StoreErrc::duplicate_key: return {"etcdserver: duplicate key given in txn request", 3};
    case StoreErrc::request_too_large: return {"etcdserver: request is too large", 3};
    case StoreErrc::invalid_argument: return {"invalid request", 3};
    case StoreErrc::not_found: return {"Not Found", 5};
    case StoreErrc::unavailable: return {"etcdserver: server stopped", 14};
    case StoreErrc::internal: return {"etcdserver: internal error", 13};
  }
  return {"etcdserver: internal error", 13};
}

}  // namespace

StoreError StoreError::make(StoreErrc code, std::string detail) {
  // A detail that is already one of etcd's own messages ("etcdserver: value is provided")
  // replaces the generic text, so clients see exactly what etcd would say.
  if (detail.rfind("etcdserver: ", 0) == 0) return StoreError{code, std::move(detail)};
  std::string message = known(code).message;
  if (!detail.empty()) message += ": " + detail;
  return StoreError{code, std::move(message)};
}

int StoreError::grpc_code() const { return known(code).grpc; }

int StoreError::http_status() const {
  // grpc-gateway's HTTPStatusFromCode (v1, the one etcd 3.4 embeds): e.g. a grant of an id in
  // use (FailedPrecondition) is 412, not 400.
  switch (grpc_code()) {
    case 3: return 400;   // InvalidArgument
    case 5: return 404;   // NotFound
    case 8: return 429;   // ResourceExhausted
    case 9: return 412;   // FailedPrecondition
    case 11: return 400;  // OutOfRange
    case 14: return 503;  // Unavailable
    default: return 500;  // Internal, Unknown
  }
}

}  // namespace deploylab::store
