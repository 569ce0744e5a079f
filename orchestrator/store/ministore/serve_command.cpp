// orchestrator/store/ministore/serve_command.cpp: `ministore serve`, the store as a server.
//
// The contract others rely on (client/store_server.h starts it for the tests and the benchmark):
//   - when it is ready it prints exactly one line on stdout, flushed:
//       ministore: serving etcd v3 JSON on http://127.0.0.1:PORT
//     (PORT is the real one, also when --listen asked for port 0);
//   - on SIGTERM or SIGINT it stops serving, closes the store (every acknowledged write is
//     already on disk) and exits 0;
//   - bad flags or a data directory it cannot open: a message on stderr and exit 1.
#include <pthread.h>

#include <csignal>
#include <iostream>

#include "common/error.h"
#include "common/log.h"
#include "orchestrator/store/gateway/gateway.h"
#include "orchestrator/store/gateway/listen_address.h"
#include "orchestrator/store/ministore/commands.h"
#include "orchestrator/store/store.h"

namespace deploylab::store::ministore {
namespace {

namespace po = boost::program_options;

struct ServeConfig {
  StoreOptions store;
  gateway::GatewayOptions gateway;
};

void declare(po::options_description& options, po::positional_options_description&) {
  options.add_options()
      ("data-dir", po::value<std::string>(), "directory of the store's files (created if missing); required")
      ("listen", po::value<std::string>()->default_value("127.0.0.1:2379"),
       "HOST:PORT to serve on (port 0: any free port, printed when ready)")
      ("durability", po::value<std::string>()->default_value("full"),
       "full: fsync every commit (survives power loss); normal: kine's setting, for comparisons only")
      ("threads", po::value<std::size_t>()->default_value(128),
       "connections served at once; every open watch stream holds one");
}

Result<Durability> parse_durability(const std::string& text) {
  if (text == "full") return Durability::full;
  if (text == "normal") return Durability::normal;
  return Error::invalid("unknown --durability", text, "use full or normal");
}

// The flags, checked; every mistake is an Error that names the flag.
Result<ServeConfig> parse_config(const po::variables_map& vm) {
  ServeConfig config;
  if (!vm.count("data-dir") || vm["data-dir"].as<std::string>().empty()) {
    return Error::invalid("--data-dir is missing", "", "say where the store keeps its files: --data-dir DIR");
  }
  config.store.data_dir = vm["data-dir"].as<std::string>();
  config.store.durability = DL_TRY(parse_durability(vm["durability"].as<std::string>()));
  auto address = DL_TRY(gateway::parse_listen_address(vm["listen"].as<std::string>()));
  config.gateway.host = address.host;
  config.gateway.port = address.port;
  config.gateway.threads = vm["threads"].as<std::size_t>();
  if (config.gateway.threads < 8) {
    return Error::invalid("too few --threads", std::to_string(config.gateway.threads),
                          "use 8 or more (each open watch stream holds one)");
  }
  // Leave a quarter of the threads (at least 4) to clients that are not watching.
  config.gateway.max_watches = config.gateway.threads - std::max<std::size_t>(4, config.gateway.threads / 4);
  return config;
}

// Blocks SIGTERM and SIGINT in this thread and, since threads inherit the mask, in every thread
// started after it; main then takes them with sigwait() instead of a handler interrupting a
// random thread.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int wait_for_stop(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

int serve(const po::variables_map& vm) {
  // 1. Check the flags before touching anything.
  ServeConfig config = parse_config(vm).value();
  // 2. Take over SIGTERM/SIGINT before any thread starts.
  sigset_t stop_signals = block_stop_signals();
  // 3. Open the store: recovery from its files, the writer and lease threads.
  std::unique_ptr<Store> store = Store::open(config.store).value();
  // 4. Serve it over HTTP.
  gateway::Gateway server(*store, config.gateway);
  server.start().value();
  // 5. Tell whoever started us that we are ready: one line, flushed.
  std::cout << "ministore: serving etcd v3 JSON on http://" << config.gateway.host << ":" << server.port() << std::endl;
  // 6. Serve until told to stop, then stop in order: no new requests, then the store.
  int signal = wait_for_stop(stop_signals);
  spdlog::info("ministore: {} received, stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  server.stop();
  store->close();
  return 0;
}

}  // namespace

cli::Command serve_command() {
  return cli::Command{"serve", "serve a store as etcd v3's JSON gateway until SIGTERM or SIGINT", declare, serve};
}

}  // namespace deploylab::store::ministore
