// tests/containers/minictr_image_test.cpp: `minictr image` and `run --image`: containers start
// from shared read-only layers, each with its own writable layer on top (overlayfs), and a layer
// imported from a tar archive changes what the image shows, deletions (whiteouts) included.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/file_io.h"
#include "common/temp_dir.h"
#include "tests/containers/test_bundle.h"

namespace deploylab::ctr::testing {
namespace {

namespace fs = std::filesystem;


class MinictrImage : public ::testing::Test {
 protected:
  void SetUp() override {
    Completed built = image({"image", "build-busybox", "--image-root", images_.string()});
    ASSERT_EQ(built.status.code, 0) << transcript(built);
  }
  Completed image(std::vector<std::string> args) { return bundle_.minictr(std::move(args)); }
  Completed run_in_image(const std::string& image, const std::string& id, const std::string& script) {
    bundle_.set_args({"sh", "-c", script});
    bundle_.write_config();
    return bundle_.minictr({"run", "--bundle", bundle_.dir().string(), "--image", image, "--image-root", images_.string(), id});
  }

  TestBundle bundle_ = TestBundle::make("deploylab-test-image");
  TempDir scratch_ = TempDir::create("deploylab-test-images-").value();
  fs::path images_ = scratch_ / "store";
};

TEST_F(MinictrImage, ContainersShareTheLayerButNotTheirWrites) {
  Completed first = run_in_image("busybox", "deploylab-test-img1", "echo mine > /etc/written && cat /etc/written");
  EXPECT_EQ(first.status.code, 0) << transcript(first);
  EXPECT_EQ(first.out, "mine\n");
  Completed second = run_in_image("busybox", "deploylab-test-img2", "cat /etc/written 2>&1 || echo absent");
  EXPECT_NE(second.out.find("absent"), std::string::npos) << "a container's writes stay in its own layer\n" << transcript(second);
  EXPECT_FALSE(fs::exists(images_ / "containers/deploylab-test-img1")) << "run removes the writable layer when it ends";
  Completed listed = image({"image", "ls", "--image-root", images_.string()});
  EXPECT_NE(listed.out.find("busybox"), std::string::npos) << transcript(listed);
}

TEST_F(MinictrImage, AnImportedLayerAddsAndDeletesFiles) {
  fs::path layer = scratch_ / "layer";
  fs::create_directories(layer / "etc");
  write_file_atomic(layer / "etc/greeting", "from the layer\n").value();
  write_file_atomic(layer / "etc/.wh.passwd", "").value();  // an OCI whiteout: /etc/passwd is deleted
  run_checked({"tar", "-czf", (scratch_ / "layer.tar.gz").string(), "-C", layer.string(), "."}).value();
  Completed imported = image({"image", "import", (scratch_ / "layer.tar.gz").string(), "--tag", "greeter", "--base", "busybox",
                              "--image-root", images_.string()});
  ASSERT_EQ(imported.status.code, 0) << transcript(imported);
  Completed done = run_in_image("greeter", "deploylab-test-img3", "cat /etc/greeting; ls /etc/passwd 2>&1 || echo no-passwd");
  EXPECT_EQ(done.status.code, 0) << transcript(done);
  EXPECT_NE(done.out.find("from the layer"), std::string::npos) << transcript(done);
  EXPECT_NE(done.out.find("no-passwd"), std::string::npos) << "the whiteout hides the lower layer's file\n" << transcript(done);
}

TEST_F(MinictrImage, AnUnknownImageIsAClearErrorAndLeavesNothing) {
  Completed done = run_in_image("no-such-image", "deploylab-test-img4", "true");
  EXPECT_NE(done.status.code, 0);
  EXPECT_NE(done.err.find("no-such-image"), std::string::npos) << transcript(done);
  EXPECT_FALSE(fs::exists(bundle_.state_root() / "deploylab-test-img4"));
  EXPECT_FALSE(cgroup_left_behind("deploylab-test-img4"));
}

}  // namespace
}  // namespace deploylab::ctr::testing
