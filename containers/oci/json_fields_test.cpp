// containers/oci/json_fields_test.cpp: typed JSON reads and the paths their errors name.
#include "containers/oci/json_fields.h"

#include <gtest/gtest.h>

namespace deploylab::ctr {
namespace {

std::string error_of(const Result<Json>& result) { return result.ok() ? "(parsed fine)" : result.error().message(); }

template <class T>
std::string error_of(const Result<T>& result) {
  return result.ok() ? "(read fine)" : result.error().message();
}

TEST(JsonFields, SyntaxErrorsSayWhere) {
  // Line 3 is `  "b": ,`: the value is missing where the comma is.
  std::string text = "{\n  \"a\": 1,\n  \"b\": ,\n}";
  auto message = error_of(parse_json_text(text));
  EXPECT_NE(message.find("JSON syntax error at line 3, column 8 (byte 19)"), std::string::npos) << message;
  EXPECT_NE(message.find("unexpected ','"), std::string::npos) << message;
  EXPECT_EQ(message.find("json.exception"), std::string::npos) << "library prefix left in: " << message;
}

TEST(JsonFields, TruncatedDocumentIsASyntaxError) {
  auto message = error_of(parse_json_text("{\"a\": [1, 2"));
  EXPECT_NE(message.find("JSON syntax error at line 1"), std::string::npos) << message;
}

TEST(JsonFields, PathsNameNestedMembersAndArrayElements) {
  Json doc = Json::parse(R"({"linux": {"uidMappings": [{"size": 1}, {"size": "x"}]}})");
  auto top = JsonObject::from(doc, "").value();
  auto linux_object = top.required_object("linux").value();
  EXPECT_EQ(linux_object.path(), "linux");
  auto entries = linux_object.object_array("uidMappings").value();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].path(), "linux.uidMappings[1]");
  EXPECT_EQ(error_of(entries[1].required_integer<std::uint32_t>("size")),
            "linux.uidMappings[1].size: must be an integer from 0 to 4294967295, not \"x\"");
}

TEST(JsonFields, IntegersMustFitTheirType) {
  Json doc = Json::parse(R"({"neg": -1, "big": 4294967296, "float": 1.0, "ok": 7, "min": -5})");
  auto top = JsonObject::from(doc, "x").value();
  EXPECT_EQ(error_of(top.optional_integer<std::uint32_t>("neg")),
            "x.neg: must be an integer from 0 to 4294967295, not -1");
  EXPECT_FALSE(top.optional_integer<std::uint32_t>("big").ok());
  EXPECT_TRUE(top.optional_integer<std::uint64_t>("big").ok());
  EXPECT_FALSE(top.optional_integer<std::int64_t>("float").ok()) << "1.0 is a float, as Go's decoder sees it";
  EXPECT_EQ(top.optional_integer<int>("ok").value(), 7);
  EXPECT_EQ(top.optional_integer<std::int64_t>("min").value(), -5);
  EXPECT_FALSE(top.optional_integer<int>("ok", 10, 20).ok());
  EXPECT_EQ(top.optional_integer<int>("absent").value(), std::nullopt);
  EXPECT_EQ(error_of(top.required_integer<int>("absent")), "x.absent: is required (an integer)");
}

TEST(JsonFields, NullCountsAsAbsent) {
  Json doc = Json::parse(R"({"s": null, "list": null, "flag": null, "obj": null})");
  auto top = JsonObject::from(doc, "").value();
  EXPECT_EQ(top.string_or("s", "fallback").value(), "fallback");
  EXPECT_TRUE(top.string_array("list").value().empty());
  EXPECT_TRUE(top.bool_or("flag", true).value());
  EXPECT_FALSE(top.optional_object("obj").value().has_value());
  EXPECT_EQ(error_of(top.required_string("s")), "s: is required (a string)");
}

TEST(JsonFields, WrongTypesSayWhatWasSeen) {
  Json doc = Json::parse(R"({"s": 3, "b": "yes", "list": ["a", 2], "map": {"k.x": 1}, "o": [1]})");
  auto top = JsonObject::from(doc, "top").value();
  EXPECT_EQ(error_of(top.required_string("s")), "top.s: must be a string, not 3");
  EXPECT_EQ(error_of(top.bool_or("b", false)), "top.b: must be true or false, not \"yes\"");
  EXPECT_EQ(error_of(top.string_array("list")), "top.list[1]: must be a string, not 2");
  EXPECT_EQ(error_of(top.string_map("map")), "top.map[\"k.x\"]: must be a string, not 1");
  EXPECT_EQ(error_of(top.required_object("o")), "top.o: must be an object, not an array");
}

TEST(JsonFields, TheWholeDocumentMustBeAnObject) {
  Json doc = Json::parse("[1, 2]");
  EXPECT_EQ(error_of(JsonObject::from(doc, "")), "the document must be a JSON object, not an array");
}

TEST(JsonFields, LongValuesAreShortenedInMessages) {
  auto seen = json_seen(Json(std::string(100, 'a')));
  EXPECT_LE(seen.size(), 45u) << seen;
  EXPECT_EQ(seen.substr(seen.size() - 3), "...");
}

}  // namespace
}  // namespace deploylab::ctr
