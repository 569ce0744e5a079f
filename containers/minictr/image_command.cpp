// containers/minictr/image_command.cpp: `minictr image`: the layers containers share.
//
//   minictr image build-busybox [--tag busybox]    a layer from /bin/busybox (busybox-static)
//   minictr image import FILE.tar[.gz|.xz] --tag NAME [--base IMAGE]
//                                                   a layer from a tar archive, on top of IMAGE's
//   minictr image ls                                the images and their layers
//
// `minictr run --image NAME` then gives each container the image's read-only layers plus its
// own writable layer, joined by overlayfs (containers/rootfs/image_store.h): ten containers of
// one image store its files once.
#include <iostream>

#include "common/text_table.h"
#include "containers/minictr/commands.h"
#include "containers/rootfs/image_store.h"

namespace deploylab::ctr::minictr {
namespace {

// The ids of an image's layers, base first (the last path component of each directory).
std::vector<std::string> layer_ids(const ImageStore& store, const std::string& image) {
  std::vector<std::string> ids;
  for (const auto& dir : store.layers_of(image).value()) ids.push_back(dir.filename().string());
  return ids;
}

int image_main(const po::variables_map& vm) {
  ImageStore store(vm["image-root"].as<std::string>());
  const std::string action = vm["action"].as<std::string>();
  const std::string tag = vm["tag"].as<std::string>();
  if (action == "build-busybox") {
    std::string layer = store.build_busybox_layer(vm["busybox"].as<std::string>()).value();
    store.tag(tag.empty() ? "busybox" : tag, {layer}).value();
    std::cout << (tag.empty() ? "busybox" : tag) << " " << layer.substr(0, 12) << "\n";
    return 0;
  }
  if (action == "import") {
    if (!vm.count("file") || tag.empty()) {
      throw ErrorException(Error::invalid("image import needs a tar file and --tag", "", "minictr image import layer.tar.gz --tag app"));
    }
    std::vector<std::string> layers = vm["base"].as<std::string>().empty() ? std::vector<std::string>{}
                                                                            : layer_ids(store, vm["base"].as<std::string>());
    layers.push_back(store.import_tar_layer(vm["file"].as<std::string>()).value());
    store.tag(tag, layers).value();
    std::cout << tag << " " << layers.back().substr(0, 12) << "\n";
    return 0;
  }
  if (action == "ls") {
    TextTable table({"IMAGE", "LAYERS (base first)"});
    for (const std::string& name : store.images().value()) {
      std::string ids;
      for (const std::string& id : layer_ids(store, name)) ids += (ids.empty() ? "" : " ") + id.substr(0, 12);
      table.add_row({name, ids});
    }
    std::cout << table.render();
    return 0;
  }
  throw ErrorException(Error::invalid("unknown image action", action, "use build-busybox, import or ls"));
}

}  // namespace

cli::Command image_command() {
  return {"image", "build, import and list the images containers can start from (--image)",
          [](po::options_description& options, po::positional_options_description& positional) {
            add_root_option(options);  // runc's global --root lands here too; unused
            options.add_options()("action", po::value<std::string>()->required(), "build-busybox, import or ls")
                ("file", po::value<std::string>(), "the layer's tar archive (import)")
                ("tag", po::value<std::string>()->default_value(""), "the image's name")
                ("base", po::value<std::string>()->default_value(""), "import: the image the new layer goes on top of")
                ("busybox", po::value<std::string>()->default_value("/bin/busybox"), "build-busybox: a static busybox")
                ("image-root", po::value<std::string>()->default_value("/var/lib/minictr"), "where layers and images live");
            positional.add("action", 1).add("file", 1);
          },
          image_main};
}

}  // namespace deploylab::ctr::minictr
