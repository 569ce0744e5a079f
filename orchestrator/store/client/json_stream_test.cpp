// orchestrator/store/client/json_stream_test.cpp: JsonStreamSplitter cuts a watch stream into
// whole JSON messages whatever the chunk boundaries (json_stream.h).
#include "orchestrator/store/client/json_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace deploylab::store {
namespace {

using Messages = std::vector<std::string>;

TEST(JsonStreamSplitter, SplitsNewlineSeparatedMessages) {
  JsonStreamSplitter splitter;
  Messages got = splitter.feed("{\"result\":{\"created\":true}}\n{\"result\":{}}\n");
  EXPECT_EQ(got, (Messages{"{\"result\":{\"created\":true}}", "{\"result\":{}}"}));
  EXPECT_EQ(splitter.pending(), 0u);
}

TEST(JsonStreamSplitter, JoinsAMessageSplitAcrossChunks) {
  JsonStreamSplitter splitter;
  EXPECT_TRUE(splitter.feed("{\"result\":{\"ev").empty()) << "half a message is not a message yet";
  EXPECT_GT(splitter.pending(), 0u);
  EXPECT_EQ(splitter.feed("ents\":[]}}\n{\"a\""), (Messages{"{\"result\":{\"events\":[]}}"}));
  EXPECT_EQ(splitter.feed(":1}"), (Messages{"{\"a\":1}"}));
}

TEST(JsonStreamSplitter, FeedingOneByteAtATimeGivesTheSameMessages) {
  const std::string stream = "{\"k\":\"a}b\"}\n{\"n\":[1,{\"x\":2}]}\n";
  JsonStreamSplitter splitter;
  Messages got;
  for (char c : stream) {
    for (auto& m : splitter.feed(std::string(1, c))) got.push_back(m);
  }
  EXPECT_EQ(got, (Messages{"{\"k\":\"a}b\"}", "{\"n\":[1,{\"x\":2}]}"}));
}

TEST(JsonStreamSplitter, IgnoresBracesInsideStringsAndEscapedQuotes) {
  JsonStreamSplitter splitter;
  std::string tricky = R"({"v":"\"}{\\","w":"]"})";
  EXPECT_EQ(splitter.feed(tricky + "\n"), (Messages{tricky}))
      << "a brace or an escaped quote inside a string must not end the message";
}

TEST(JsonStreamSplitter, MessagesWithoutNewlinesBetweenThem) {
  JsonStreamSplitter splitter;
  EXPECT_EQ(splitter.feed("{}{\"a\":{}}  \r\n {}"), (Messages{"{}", "{\"a\":{}}", "{}"}));
}

}  // namespace
}  // namespace deploylab::store
