// orchestrator/store/ministore/main.cpp: `ministore`, lab 10's etcd-compatible store: MVCC over
// SQLite (orchestrator/store/) served as etcd v3's JSON gateway (gateway/), so etcdctl-style
// clients, the orchestrator's API server and our StoreClient talk to it as to etcd 3.4.
//
//   ministore serve --data-dir DIR --listen 127.0.0.1:PORT [--durability full|normal]
//
// One subcommand for now, in its own file (serve_command.cpp), like the other deploylab tools.
#include "orchestrator/store/ministore/commands.h"

int main(int argc, char** argv) {
  using namespace deploylab::store::ministore;
  return deploylab::cli::main("ministore", "an etcd v3 compatible store on SQLite (lab 10)", {serve_command()}, argc,
                              argv);
}
