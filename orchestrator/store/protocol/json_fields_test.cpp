// orchestrator/store/protocol/json_fields_test.cpp: Reader reads fields as etcd's gateway does,
// and names the first bad one (json_fields.h).
#include "orchestrator/store/protocol/json_fields.h"

#include <gtest/gtest.h>

#include <array>

namespace deploylab::store::json {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 3> kColours = {"RED", "GREEN", "BLUE"};

// The message of the reader's error, or "" when it has none.
std::string problem(const Reader& in) { return in.error() ? in.error()->message : ""; }

TEST(JsonReader, ReadsInt64AsStringOrNumber) {
  json doc = {{"a", "5"}, {"b", 7}, {"c", "-9223372036854775808"}, {"d", 9223372036854775807ULL}};
  Reader in(doc);
  EXPECT_EQ(in.int64("a"), 5);
  EXPECT_EQ(in.int64("b"), 7);
  EXPECT_EQ(in.int64("c"), INT64_MIN);
  EXPECT_EQ(in.int64("d"), INT64_MAX);
  EXPECT_TRUE(in.ok()) << problem(in);
}

TEST(JsonReader, MissingAndNullFieldsAreDefaults) {
  json doc = {{"n", nullptr}};
  Reader in(doc);
  EXPECT_EQ(in.int64("n"), 0);
  EXPECT_EQ(in.int64("absent"), 0);
  EXPECT_EQ(in.bytes("absent"), "");
  EXPECT_FALSE(in.boolean("absent"));
  EXPECT_EQ(in.enumeration("absent", kColours), 0);
  EXPECT_TRUE(in.bytes_array("absent").empty());
  EXPECT_TRUE(in.ok()) << problem(in);
}

// Each bad value gives invalid_argument naming the field, as etcd rejects it too.
TEST(JsonReader, WrongTypesNameTheField) {
  struct Case {
    json doc;
    std::string expected;  // part of the message
  };
  std::vector<Case> cases = {
      {{{"n", "abc"}}, "n: not a 64-bit integer"},
      {{{"n", 1.5}}, "n: not a 64-bit integer"},
      {{{"n", 1e2}}, "n: not a 64-bit integer"},
      {{{"n", "99999999999999999999"}}, "n: not a 64-bit integer"},
      {{{"n", true}}, "n: not a 64-bit integer"},
      {{{"n", " 5"}}, "n: not a 64-bit integer"},
      {{{"b", "yes"}}, "b: not true or false"},
      {{{"b", "true"}}, "b: not true or false"},
      {{{"k", 12}}, "k: not a base64 string"},
      {{{"k", "!!!"}}, "k: not base64"},
      {{{"e", "PURPLE"}}, "e: unknown value \"PURPLE\" (one of RED, GREEN, BLUE)"},
      {{{"e", 3}}, "e: unknown value 3"},
  };
  for (const auto& c : cases) {
    Reader in(c.doc);
    in.int64("n");
    in.boolean("b");
    in.bytes("k");
    in.enumeration("e", kColours);
    ASSERT_TRUE(in.error().has_value()) << c.doc.dump() << " should be refused";
    EXPECT_EQ(in.error()->code, StoreErrc::invalid_argument) << c.doc.dump();
    EXPECT_NE(in.error()->message.find(c.expected), std::string::npos)
        << c.doc.dump() << ": expected the message to contain \"" << c.expected << "\", saw \""
        << in.error()->message << "\"";
  }
}

TEST(JsonReader, EnumsByNameOrNumber) {
  json doc = {{"a", "BLUE"}, {"b", 1}};
  Reader in(doc);
  EXPECT_EQ(in.enumeration("a", kColours), 2);
  EXPECT_EQ(in.enumeration("b", kColours), 1);
  EXPECT_TRUE(in.ok()) << problem(in);
}

TEST(JsonReader, NestedPathsAndOnlyTheFirstProblemIsKept) {
  json doc = json::parse(R"({"list": [{"k": "Zm9v"}, {"k": "bad!"}], "n": "x"})");
  Reader in(doc);
  std::vector<std::string> keys;
  in.objects("list", [&](Reader& element) { keys.push_back(element.bytes("k")); });
  EXPECT_EQ(in.int64("n"), 0) << "after an error every read gives its default";
  EXPECT_EQ(problem(in), "invalid request: list[1].k: not base64");
}

TEST(JsonReader, NonObjectsAreRefusedWithTheirPath) {
  json doc = json::parse(R"({"inner": 5, "list": [1]})");
  Reader in(doc);
  in.object("inner", [](Reader&) { FAIL() << "a number is not an object"; });
  EXPECT_EQ(problem(in), "invalid request: inner: not a JSON object but 5");

  Reader list_reader(doc);
  list_reader.objects("list", [](Reader&) { FAIL() << "1 is not an object"; });
  EXPECT_EQ(problem(list_reader), "invalid request: list[0]: not a JSON object but 1");

  json array = json::array();
  Reader top(array);
  EXPECT_EQ(problem(top), "invalid request: body: not a JSON object but an array");
}

TEST(JsonWriters, LeaveDefaultsOutAndWriteInt64AsStrings) {
  json out = json::object();
  put_bytes(out, "empty", "");
  put_int64(out, "zero", 0);
  put_bool(out, "no", false);
  EXPECT_EQ(out, json::object()) << out.dump();
  put_bytes(out, "key", "foo");
  put_int64(out, "revision", -3);
  put_bool(out, "yes", true);
  EXPECT_EQ(out.dump(), R"({"key":"Zm9v","revision":"-3","yes":true})");
}

}  // namespace
}  // namespace deploylab::store::json
