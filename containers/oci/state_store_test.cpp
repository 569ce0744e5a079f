// containers/oci/state_store_test.cpp: the state directory in a TempDir: create, load, save,
// list, remove, the lock, and container-id checks.
#include "containers/oci/state_store.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "common/file_io.h"
#include "common/temp_dir.h"

namespace deploylab::ctr {
namespace {

namespace fs = std::filesystem;

ContainerState container(const std::string& id, Status status = Status::created) {
  ContainerState state;
  state.id = id;
  state.status = status;
  state.pid = 100;
  state.bundle = "/srv/bundles/" + id;
  state.created = "2026-11-26T23:37:41.000000000Z";
  return state;
}

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = TempDir::create("deploylab-test-state-").value();
    store_ = std::make_unique<StateStore>(tmp_ / "root");  // not there yet: create() makes it
  }
  std::string error_of(const Result<void>& result) { return result.ok() ? "(ok)" : result.error().message(); }
  template <class T>
  std::string error_of(const Result<T>& result) {
    return result.ok() ? "(ok)" : result.error().message();
  }

  TempDir tmp_;
  std::unique_ptr<StateStore> store_;
};

TEST_F(StateStoreTest, CreateThenLoad) {
  store_->create(container("web")).value();
  EXPECT_TRUE(store_->exists("web"));
  EXPECT_EQ(store_->dir("web"), tmp_ / "root" / "web");
  EXPECT_TRUE(fs::exists(store_->dir("web") / "state.json"));
  auto state = store_->load("web").value();
  EXPECT_EQ(state.id, "web");
  EXPECT_EQ(state.status, Status::created);
  EXPECT_EQ(state.bundle, "/srv/bundles/web");
}

TEST_F(StateStoreTest, RootAndContainerDirectoriesAreNotWorldReadable) {
  store_->create(container("web")).value();
  auto root = fs::status(store_->root()).permissions();
  EXPECT_EQ(root & fs::perms::others_read, fs::perms::none) << "the state root must not be listable by others";
}

TEST_F(StateStoreTest, AnIdCanBeCreatedOnce) {
  store_->create(container("web")).value();
  EXPECT_EQ(error_of(store_->create(container("web"))),
            "container \"web\" already exists (hint: minictr delete web first)");
}

TEST_F(StateStoreTest, MissingContainersAreNamed) {
  auto expected = "container \"db\" does not exist (hint: `minictr list --root " + store_->root().string() +
                  "` shows the containers there)";
  EXPECT_EQ(error_of(store_->load("db")), expected);
  EXPECT_EQ(error_of(store_->save(container("db"))), expected);
  EXPECT_EQ(error_of(store_->remove("db")), expected);
  EXPECT_EQ(error_of(store_->lock("db")), expected);
  EXPECT_FALSE(store_->exists("db"));
}

TEST_F(StateStoreTest, SaveReplacesTheRecord) {
  store_->create(container("web")).value();
  auto state = store_->load("web").value();
  state.status = Status::stopped;
  state.exit_code = 3;
  store_->save(state).value();
  auto back = store_->load("web").value();
  EXPECT_EQ(back.status, Status::stopped);
  EXPECT_EQ(back.exit_code, 3);
  // The atomic write leaves no temporary file behind.
  std::size_t files = std::distance(fs::directory_iterator(store_->dir("web")), fs::directory_iterator());
  EXPECT_EQ(files, 1u);
}

TEST_F(StateStoreTest, RemoveDeletesEverything) {
  store_->create(container("web")).value();
  auto lock = store_->lock("web").value();
  write_file_atomic(store_->dir("web") / "extra", "x").value();
  store_->remove("web").value();
  EXPECT_FALSE(fs::exists(store_->dir("web")));
  EXPECT_FALSE(store_->exists("web"));
}

TEST_F(StateStoreTest, ListIsSortedAndSkipsHalfCreatedContainers) {
  EXPECT_TRUE(store_->list().value().empty()) << "a root that does not exist yet holds no containers";
  store_->create(container("web")).value();
  store_->create(container("api", Status::running)).value();
  fs::create_directory(store_->dir("being-created"));   // mkdir done, record not written yet
  write_file_atomic(store_->root() / "not-a-dir", "").value();
  auto all = store_->list().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "api");
  EXPECT_EQ(all[1].id, "web");
}

TEST_F(StateStoreTest, CorruptRecordsNameTheirFile) {
  store_->create(container("web")).value();
  auto path = store_->dir("web") / "state.json";
  write_file_atomic(path, "{\"format\": 1, ").value();
  auto message = error_of(store_->load("web"));
  EXPECT_EQ(message.rfind("corrupt state record " + path.string() + ": JSON syntax error", 0), 0u) << message;
  EXPECT_EQ(error_of(store_->list()), message) << "list() must not hide a corrupt record";
}

TEST_F(StateStoreTest, ARecordMustBeForItsDirectory) {
  store_->create(container("web")).value();
  fs::rename(store_->dir("web"), store_->dir("copy"));
  auto message = error_of(store_->load("copy"));
  EXPECT_NE(message.find("record is for container \"web\", not \"copy\""), std::string::npos) << message;
}

// Whether another open file description can take the lock right now (flock locks belong to open
// files, so this conflicts with a lock held by this same process through another open).
bool lock_is_free(const fs::path& lock_file) {
  auto fd = open_file(lock_file, O_RDWR).value();
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return true;
  EXPECT_EQ(errno, EWOULDBLOCK);
  return false;
}

TEST_F(StateStoreTest, LockIsExclusiveUntilReleased) {
  store_->create(container("web")).value();
  auto lock_file = store_->dir("web") / "lock";
  {
    StateLock lock = store_->lock("web").value();
    EXPECT_TRUE(lock.held());
    EXPECT_FALSE(lock_is_free(lock_file)) << "a second minictr must wait while the lock is held";
    lock.unlock();
    EXPECT_FALSE(lock.held());
    EXPECT_TRUE(lock_is_free(lock_file));
    lock = store_->lock("web").value();
    EXPECT_FALSE(lock_is_free(lock_file));
  }
  EXPECT_TRUE(lock_is_free(lock_file)) << "the lock goes with its StateLock";
}

TEST(ContainerId, RuncsRules) {
  for (const std::string& id : std::vector<std::string>{"web", "a", "web-1", "my_app.v2", "a+b", "ABC123",
                                                        std::string(1024, 'x')}) {
    EXPECT_TRUE(validate_container_id(id).ok()) << "\"" << id << "\" should be a valid id";
  }
  for (std::string id : {"", ".", "..", "a/b", "../etc", "a b", "web\n", "é", "a,b", "a:b"}) {
    auto valid = validate_container_id(id);
    ASSERT_FALSE(valid.ok()) << "\"" << id << "\" should be refused";
    EXPECT_EQ(valid.error().message(),
              "invalid container id \"" + id + "\" (hint: use letters, digits, '_', '+', '-' and '.')");
  }
  EXPECT_EQ(validate_container_id(std::string(1025, 'x')).error().message(),
            "invalid container id (1025 characters) (hint: at most 1024)");
}

TEST(ContainerId, EveryOperationChecksIt) {
  auto tmp = TempDir::create("deploylab-test-state-").value();
  StateStore store(tmp.path());
  EXPECT_FALSE(store.create(container("../escape")).ok());
  EXPECT_FALSE(fs::exists(tmp.path().parent_path() / "escape"));
  EXPECT_FALSE(store.load("a/b").ok());
  EXPECT_FALSE(store.remove("..").ok());
  EXPECT_FALSE(store.exists(".."));
  EXPECT_TRUE(fs::exists(tmp.path())) << "remove(\"..\") must not touch the root";
}

TEST(StateStoreDefaults, RootIsRunMinictr) { EXPECT_EQ(StateStore().root(), "/run/minictr"); }

}  // namespace
}  // namespace deploylab::ctr
