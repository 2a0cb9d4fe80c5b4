// Unit tests of the OTLP trace encoders and their building blocks: the protobuf writer and
// reader, the JSON writer, UTF-8 repair, grouping, and partial-success decoding. Conformance with
// the official decoder is in otlp_oracle_test.cc.
#include "llmtrace/otlp/trace_encoder.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "llmtrace/common/strings.h"
#include "llmtrace/trace/trace_state.h"
#include "src/otlp/json_writer.h"
#include "src/otlp/proto_reader.h"
#include "src/otlp/proto_writer.h"
#include "src/otlp/utf8.h"
#include "test/otlp/otlp_test_util.h"

namespace llmtrace::otlp {
namespace {

using internal::AppendJsonDouble;
using internal::AppendJsonString;
using internal::JsonWriter;
using internal::ProtoReader;
using internal::ProtoWriter;
using internal::VarintSize;
using internal::WireType;
using trace::SpanContext;
using trace::SpanDataPtr;
using trace::SpanKind;
using trace::TraceFlags;

std::string Hex(std::string_view bytes) {
  return HexEncode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

std::string Unhex(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  EXPECT_TRUE(HexDecode(
      hex, std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(out.data()), out.size())))
      << hex;
  return out;
}

Timestamp Nanos(std::int64_t n) { return Timestamp{std::chrono::nanoseconds(n)}; }

// ---------------------------------------------------------------------------------------------
// ProtoWriter

TEST(ProtoWriterTest, VarintsUseTheFewestBytesAtEveryBoundary) {
  const std::vector<std::pair<std::uint64_t, std::string>> cases = {
      {0, "00"},
      {1, "01"},
      {127, "7f"},
      {128, "8001"},
      {300, "ac02"},
      {16383, "ff7f"},
      {16384, "808001"},
      {2097151, "ffff7f"},
      {2097152, "80808001"},
      {268435455, "ffffff7f"},
      {268435456, "8080808001"},
      {0xFFFFFFFFull, "ffffffff0f"},
      {std::uint64_t{1} << 63, "80808080808080808001"},
      {std::numeric_limits<std::uint64_t>::max(), "ffffffffffffffffff01"},
  };
  for (const auto& [value, hex] : cases) {
    std::string out;
    ProtoWriter(out).WriteVarint(value);
    EXPECT_EQ(Hex(out), hex) << value;
    EXPECT_EQ(VarintSize(value), hex.size() / 2) << value;
  }
}

TEST(ProtoWriterTest, NegativeInt64IsTenBytesOfTwosComplement) {
  std::string out;
  ProtoWriter w(out);
  w.Int64Field(3, -1);
  w.Int64Field(3, std::numeric_limits<std::int64_t>::min());
  w.Flush();
  EXPECT_EQ(Hex(out),
            "18ffffffffffffffffff01"
            "1880808080808080808001");
}

TEST(ProtoWriterTest, FixedWidthFieldsAreLittleEndian) {
  std::string out;
  ProtoWriter w(out);
  w.Fixed32Field(16, 0x301);  // field 16 needs a two-byte tag
  w.Fixed64Field(7, 0x0102030405060708);
  w.DoubleField(4, 1.0);
  w.Flush();
  EXPECT_EQ(Hex(out),
            "850101030000"
            "390807060504030201"
            "21000000000000f03f");
}

TEST(ProtoWriterTest, OptionalFieldsSkipProto3Defaults) {
  std::string out;
  ProtoWriter w(out);
  w.OptionalVarintField(1, 0);
  w.OptionalFixed64Field(2, 0);
  w.OptionalStringField(3, "");
  w.Flush();
  EXPECT_EQ(out, "");
  w.BoolField(4, false);  // explicit presence (a oneof member) is always written
  w.StringField(5, "");
  w.Flush();
  EXPECT_EQ(Hex(out),
            "2000"
            "2a00");
}

TEST(ProtoWriterTest, NestedLengthIsPatchedWhateverTheHintAcrossVarintBoundaries) {
  const std::vector<std::size_t> body_sizes = {0, 1, 127, 128, 129, 16383, 16384, 2097151, 2097152};
  const std::vector<std::size_t> hints = {0, 127, 128, 16383, 16384, 2097152, 268435456};
  std::string body;
  for (std::size_t size : body_sizes) {
    body.resize(size);
    for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>(i % 251);
    std::string length;
    ProtoWriter(length).WriteVarint(size);
    const std::string expected = "prefix" + std::string("\x2a") + length + body + "suffix";
    for (std::size_t hint : hints) {
      std::string out = "prefix";
      ProtoWriter w(out);
      auto mark = w.BeginMessage(5, hint);
      w.WriteRaw(body.data(), body.size());
      w.EndMessage(mark);
      w.WriteRaw("suffix", 6);
      w.Flush();
      ASSERT_EQ(out.size(), expected.size()) << "body " << size << " hint " << hint;
      EXPECT_TRUE(out == expected) << "body " << size << " hint " << hint;
    }
  }
}

TEST(ProtoWriterTest, NestedMessagesInsideNestedMessagesReadBack) {
  std::string out;
  ProtoWriter w(out);
  auto outer = w.BeginMessage(1, 0);  // one byte reserved, 300+ needed: moved twice over
  auto middle = w.BeginMessage(2, 0);
  w.StringField(3, std::string(300, 'x'));
  auto inner = w.BeginMessage(4, 1 << 20);  // three reserved, one needed
  w.VarintField(5, 7);
  w.EndMessage(inner);
  w.EndMessage(middle);
  w.Fixed32Field(6, 9);
  w.EndMessage(outer);
  w.Flush();

  ProtoReader top(out);
  std::uint32_t field;
  WireType type;
  ASSERT_TRUE(top.Next(field, type));
  ASSERT_EQ(field, 1u);
  std::string_view outer_body;
  ASSERT_TRUE(top.ReadLengthDelimited(outer_body));
  EXPECT_FALSE(top.Next(field, type));
  EXPECT_EQ(top.error(), "");

  ProtoReader o(outer_body);
  ASSERT_TRUE(o.Next(field, type));
  ASSERT_EQ(field, 2u);
  std::string_view middle_body;
  ASSERT_TRUE(o.ReadLengthDelimited(middle_body));
  ASSERT_TRUE(o.Next(field, type));
  ASSERT_EQ(field, 6u);
  std::uint32_t fixed;
  ASSERT_TRUE(o.ReadFixed32(fixed));
  EXPECT_EQ(fixed, 9u);

  ProtoReader m(middle_body);
  ASSERT_TRUE(m.Next(field, type));
  std::string_view text;
  ASSERT_TRUE(m.ReadLengthDelimited(text));
  EXPECT_EQ(text, std::string(300, 'x'));
  ASSERT_TRUE(m.Next(field, type));
  ASSERT_EQ(field, 4u);
  std::string_view inner_body;
  ASSERT_TRUE(m.ReadLengthDelimited(inner_body));
  EXPECT_EQ(Hex(inner_body), "2807");
  EXPECT_FALSE(m.Next(field, type));
}

TEST(ProtoWriterTest, IllFormedUtf8InStringsBecomesReplacementCharacters) {
  std::string out;
  ProtoWriter(out).StringField(1, std::string_view("a\xff"
                                                   "b\xe2\x82",
                                                   5));
  EXPECT_EQ(out, std::string("\x0a\x08") +
                     "a\xef\xbf\xbd"
                     "b\xef\xbf\xbd");
}

// ---------------------------------------------------------------------------------------------
// UTF-8

TEST(Utf8Test, ReplacesEachMaximalIllFormedSubpartOnce) {
  const std::string r(internal::kReplacementCharacter);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain ascii", "plain ascii"},
      {"\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80", "\xc3\xa9\xe2\x9c\x93\xf0\x9f\x98\x80"},
      {"\xff", r},
      {"\x80\x80", r + r},
      {"\xc0\xaf", r + r},                  // overlong '/'
      {"\xe0\x80\xaf", r + r + r},          // overlong
      {"\xed\xa0\x80", r + r + r},          // surrogate
      {"\xf4\x90\x80\x80", r + r + r + r},  // above U+10FFFF
      {"\xf0\x9f\x98", r},                  // truncated 4-byte sequence
      {"\xe2\x82"
       "A",
       r + "A"},    // truncated 3-byte sequence
      {"\xc3", r},  // truncated at the end
      {"ok\xc3(", "ok" + r + "("},
  };
  for (const auto& [in, out] : cases) {
    std::string sanitized;
    internal::AppendSanitizedUtf8(in, sanitized);
    EXPECT_EQ(Hex(sanitized), Hex(out)) << Hex(in);
    EXPECT_EQ(internal::SanitizedUtf8Size(in), out.size()) << Hex(in);
    EXPECT_EQ(internal::ValidUtf8Prefix(in) == in.size(), in == out) << Hex(in);
  }
}

TEST(Utf8Test, FindsTheFirstBadByteBehindLongAsciiRuns) {
  std::string s(1000, 'a');
  EXPECT_EQ(internal::ValidUtf8Prefix(s), 1000u);
  s[777] = '\xfe';
  EXPECT_EQ(internal::ValidUtf8Prefix(s), 777u);
}

// ---------------------------------------------------------------------------------------------
// JsonWriter

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, out);
  return out;
}

std::string JsonDouble(double d) {
  std::string out;
  AppendJsonDouble(d, out);
  return out;
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndEveryControlCharacter) {
  EXPECT_EQ(JsonString("say \"hi\" \\ /"), R"("say \"hi\" \\ /")");
  EXPECT_EQ(JsonString("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(JsonString(std::string_view("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  for (int c = 0; c < 0x20; ++c) {
    const std::string out = JsonString(std::string(1, static_cast<char>(c)));
    EXPECT_EQ(out[1], '\\') << c;
    EXPECT_EQ(out.find('\n'), std::string::npos);
  }
}

TEST(JsonWriterTest, KeepsWellFormedUtf8AndReplacesIllFormedBytes) {
  EXPECT_EQ(JsonString("héllo 日本 😀"), "\"héllo 日本 😀\"");
  EXPECT_EQ(JsonString("a\xff"
                       "b"),
            "\"a\xef\xbf\xbd"
            "b\"");
  EXPECT_EQ(JsonString("\xed\xa0\x80\""), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\\\"\"");
  EXPECT_EQ(JsonString("end\xe2\x82"), "\"end\xef\xbf\xbd\"");
}

TEST(JsonWriterTest, NonFiniteDoublesAreStringsAndFiniteOnesRoundTrip) {
  EXPECT_EQ(JsonDouble(std::numeric_limits<double>::quiet_NaN()), "\"NaN\"");
  EXPECT_EQ(JsonDouble(std::numeric_limits<double>::infinity()), "\"Infinity\"");
  EXPECT_EQ(JsonDouble(-std::numeric_limits<double>::infinity()), "\"-Infinity\"");
  EXPECT_EQ(JsonDouble(-0.0), "-0.0");
  EXPECT_EQ(JsonDouble(0.0), "0");
  EXPECT_EQ(JsonDouble(0.1), "0.1");
  EXPECT_EQ(JsonDouble(100.0), "100");
  EXPECT_EQ(JsonDouble(1e300), "1e+300");
  EXPECT_EQ(JsonDouble(5e-324), "5e-324");
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 10000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const double d = std::bit_cast<double>(state);
    if (!std::isfinite(d)) continue;
    const std::string text = JsonDouble(d);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(std::strtod(text.c_str(), nullptr)), state) << text;
  }
}

TEST(JsonWriterTest, PlacesCommasBetweenMembersAndElementsAtEveryDepth) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.Int(1);
  w.BeginObject();
  w.EndObject();
  w.BeginArray();
  w.EndArray();
  w.Bool(false);
  w.EndArray();
  w.OptionalString("skipped", "");
  w.OptionalUint("zero", 0);
  w.Key("b");
  w.Int64String(std::numeric_limits<std::int64_t>::min());
  w.Key("c");
  w.Uint64String(std::numeric_limits<std::uint64_t>::max());
  w.Key("d");
  w.Double(0.5);
  w.EndObject();
  w.Flush();
  EXPECT_EQ(out, R"({"a":[1,{},[],false],"b":"-9223372036854775808","c":"18446744073709551615",)"
                 R"("d":0.5})");
}

TEST(JsonWriterTest, EncodesHexAndBase64) {
  const std::array<std::uint8_t, 3> id = {0x00, 0xab, 0xff};
  std::string out;
  JsonWriter w(out);
  w.BeginArray();
  w.HexString(id);
  for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    w.Base64String(
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
  w.EndArray();
  w.Flush();
  EXPECT_EQ(out, R"(["00abff","","Zg==","Zm8=","Zm9v","Zm9vYg==","Zm9vYmE=","Zm9vYmFy"])");
}

// ---------------------------------------------------------------------------------------------
// Trace requests

// A span on `resource` and `scope`, built by hand.
SpanDataPtr MakeSpan(std::string_view name, const Resource& resource,
                     const InstrumentationScope& scope, std::uint8_t id = 1) {
  SpanDataPtr span = trace::AcquireSpanData();
  std::array<std::uint8_t, 16> trace_id{};
  std::array<std::uint8_t, 8> span_id{};
  for (int i = 0; i < 16; ++i) trace_id[i] = static_cast<std::uint8_t>(i + 1);
  for (int i = 0; i < 8; ++i) span_id[i] = static_cast<std::uint8_t>(0x11 + i);
  span_id[7] = static_cast<std::uint8_t>(0x10 + id);
  span->Begin(SpanContext(TraceId(trace_id), SpanId(span_id), TraceFlags(0x01), false), SpanId(),
              false, name, SpanKind::kClient, Nanos(1000), trace::SpanLimits{}, resource, scope);
  span->SetEndTime(Nanos(2000));
  return span;
}

class TraceEncoderTest : public ::testing::Test {
 protected:
  Resource resource_;
  InstrumentationScope scope_ = testing::MakeScope("sc");
};

TEST_F(TraceEncoderTest, EncodesATinySpanToHandComputedProtobuf) {
  std::vector<SpanDataPtr> spans;
  spans.push_back(MakeSpan("n", resource_, scope_, 8));
  spans[0]->SetAttribute("a", true);
  std::string out;
  EncodeTraceRequestProto(spans, out);
  const std::string span =
      "0a10"
      "0102030405060708090a0b0c0d0e0f10"  // trace_id (1)
      "1208"
      "1112131415161718"  // span_id (2)
      "2a01"
      "6e"    // name (5) "n"
      "3003"  // kind (6) CLIENT
      "39"
      "e803000000000000"  // start_time_unix_nano (7) 1000
      "41"
      "d007000000000000"  // end_time_unix_nano (8) 2000
      "4a07"
      "0a0161"
      "12021001"  // attributes (9) {a: bool true}
      "8501"
      "01010000";  // flags (16) sampled | HAS_IS_REMOTE
  ASSERT_EQ(span.size() / 2, 66u);
  const std::string scope_spans =
      "0a04"
      "0a027363"  // scope (1) {name "sc"}
      "1242" +
      span;  // spans (2)
  const std::string resource_spans =
      "0a00"  // resource (1), empty
      "124a" +
      scope_spans;  // scope_spans (2)
  EXPECT_EQ(Hex(out), "0a4e" + resource_spans);
}

TEST_F(TraceEncoderTest, EncodesATinySpanToExactOtlpJson) {
  std::vector<SpanDataPtr> spans;
  spans.push_back(MakeSpan("n", resource_, scope_, 8));
  spans[0]->SetAttribute("a", true);
  std::string out;
  EncodeTraceRequestJson(spans, out);
  EXPECT_EQ(
      out,
      R"({"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{"name":"sc"},"spans":[)"
      R"({"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"1112131415161718",)"
      R"("flags":257,"name":"n","kind":3,"startTimeUnixNano":"1000",)"
      R"("endTimeUnixNano":"2000","attributes":[{"key":"a","value":{"boolValue":true}}]}]}]}]})");
}

TEST_F(TraceEncoderTest, WritesEveryOptionalSpanFieldInJson) {
  std::vector<SpanDataPtr> spans;
  SpanDataPtr span = trace::AcquireSpanData();
  span->Begin(SpanContext(TraceId::FromHex("0af7651916cd43dd8448eb211c80319c").value(),
                          SpanId::FromHex("b7ad6b7169203331").value(), TraceFlags(0x01), false,
                          trace::TraceState::Parse("congo=t61rcWkgMzE")),
              SpanId::FromHex("00f067aa0ba902b7").value(), /*parent_is_remote=*/true, "s",
              SpanKind::kServer, Nanos(5), trace::SpanLimits{}, resource_, scope_);
  const std::array<KeyValue, 1> attributes = {KeyValue{"n", -3}};
  span->AddEvent("e", Nanos(6), attributes);
  span->AddLink(SpanContext(TraceId::FromHex("0af7651916cd43dd8448eb211c80319c").value(),
                            SpanId::FromHex("0000000000000002").value(), TraceFlags(0x00), true),
                {});
  span->SetAttribute("arr", std::span<const double>());
  span->SetStatus(trace::SpanStatus::kError, "bad \"x\"");
  span->SetEndTime(Nanos(7));
  spans.push_back(std::move(span));
  std::string out;
  EncodeTraceRequestJson(spans, out);
  EXPECT_NE(out.find(R"("traceState":"congo=t61rcWkgMzE","parentSpanId":"00f067aa0ba902b7",)"
                     R"("flags":769,"name":"s","kind":2,"startTimeUnixNano":"5",)"
                     R"("endTimeUnixNano":"7","attributes":[{"key":"arr","value":)"
                     R"({"arrayValue":{}}}],"events":[{"timeUnixNano":"6","name":"e",)"
                     R"("attributes":[{"key":"n","value":{"intValue":"-3"}}]}],"links":[)"
                     R"({"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"0000000000000002",)"
                     R"("flags":768}],"status":{"message":"bad \"x\"","code":2}})"),
            std::string::npos)
      << out;
}

TEST_F(TraceEncoderTest, TraceStateOverTheW3cSizeIsWrittenAsTheHeaderWould) {
  std::shared_ptr<const trace::TraceState> state = trace::TraceState::Empty();
  for (int i = 0; i < 6; ++i) state = state->Set("big" + std::to_string(i), std::string(150, 'v'));
  for (int i = 0; i < 6; ++i) state = state->Set("k" + std::to_string(i), "small");
  const std::string header = state->ToHeader();
  ASSERT_LE(header.size(), trace::TraceState::kMaxHeaderSize);
  ASSERT_GT(header.size(), 127u);
  ASSERT_LT(header.size(), 6 * (150 + 6));  // ToHeader dropped some members

  std::vector<SpanDataPtr> spans;
  spans.push_back(trace::AcquireSpanData());
  spans[0]->Begin(
      SpanContext(TraceId::FromHex("0af7651916cd43dd8448eb211c80319c").value(),
                  SpanId::FromHex("b7ad6b7169203331").value(), TraceFlags(1), false, state),
      SpanId(), false, "s", SpanKind::kInternal, Nanos(1), trace::SpanLimits{}, resource_, scope_);
  std::string json;
  EncodeTraceRequestJson(spans, json);
  EXPECT_NE(json.find("\"traceState\":\"" + header + "\""), std::string::npos) << json;
  std::string proto;
  EncodeTraceRequestProto(spans, proto);
  // trace_state (3), a two-byte length, then exactly the header.
  std::string field = "\x1a";
  field += static_cast<char>(0x80 | (header.size() & 0x7f));
  field += static_cast<char>(header.size() >> 7);
  EXPECT_NE(proto.find(field + header), std::string::npos);
}

TEST_F(TraceEncoderTest, AppendsToTheCallersBuffer) {
  std::vector<SpanDataPtr> spans;
  spans.push_back(MakeSpan("n", resource_, scope_));
  std::string proto;
  EncodeTraceRequestProto(spans, proto);
  std::string json;
  EncodeTraceRequestJson(spans, json);
  std::string out = "keep";
  EncodeTraceRequestProto(spans, out);
  EXPECT_EQ(out, "keep" + proto);
  out = "keep";
  EncodeTraceRequestJson(spans, out);
  EXPECT_EQ(out, "keep" + json);
}

TEST_F(TraceEncoderTest, EmptyOrAllNullBatchIsAnEmptyRequest) {
  std::vector<SpanDataPtr> spans(3);
  std::string proto;
  std::string json;
  EncodeTraceRequestProto(spans, proto);
  EncodeTraceRequestJson(spans, json);
  EXPECT_EQ(proto, "");
  EXPECT_EQ(json, "{}");
}

// Span names per scope per resource, read back from the protobuf with ProtoReader.
using Groups = std::vector<std::vector<std::vector<std::string>>>;

Groups GroupsFromProto(std::string_view body) {
  Groups groups;
  std::uint32_t field;
  WireType type;
  std::string_view payload;
  ProtoReader request(body);
  while (request.Next(field, type)) {
    EXPECT_TRUE(field == 1 && request.ReadLengthDelimited(payload));
    groups.emplace_back();
    ProtoReader resource_spans(payload);
    while (resource_spans.Next(field, type)) {
      if (field != 2) {
        resource_spans.Skip(type);
        continue;
      }
      EXPECT_TRUE(resource_spans.ReadLengthDelimited(payload));
      groups.back().emplace_back();
      ProtoReader scope_spans(payload);
      while (scope_spans.Next(field, type)) {
        if (field != 2) {
          scope_spans.Skip(type);
          continue;
        }
        EXPECT_TRUE(scope_spans.ReadLengthDelimited(payload));
        ProtoReader span(payload);
        while (span.Next(field, type)) {
          if (field == 5) {
            EXPECT_TRUE(span.ReadLengthDelimited(payload));
            groups.back().back().emplace_back(payload);
          } else {
            span.Skip(type);
          }
        }
        EXPECT_EQ(span.error(), "");
      }
    }
  }
  EXPECT_EQ(request.error(), "");
  return groups;
}

Groups GroupsFromJson(const std::string& body) {
  Groups groups;
  simdjson::dom::parser parser;
  simdjson::dom::element request = parser.parse(simdjson::padded_string(body)).value();
  for (simdjson::dom::element rs : request["resourceSpans"].get_array()) {
    groups.emplace_back();
    for (simdjson::dom::element ss : rs["scopeSpans"].get_array()) {
      groups.back().emplace_back();
      for (simdjson::dom::element span : ss["spans"].get_array()) {
        groups.back().back().emplace_back(span["name"].get_string().value());
      }
    }
  }
  return groups;
}

TEST_F(TraceEncoderTest, GroupsByResourceThenScopeInOrderOfFirstAppearance) {
  Resource r1;
  Resource r2;
  InstrumentationScope s1 = testing::MakeScope("s1");
  InstrumentationScope s2 = testing::MakeScope("s2");
  std::vector<SpanDataPtr> spans;
  spans.push_back(MakeSpan("a", r1, s1));
  spans.push_back(MakeSpan("b", r2, s1));
  spans.push_back(nullptr);
  spans.push_back(MakeSpan("c", r1, s2));
  spans.push_back(MakeSpan("d", r1, s1));
  spans.push_back(MakeSpan("e", r2, s1));
  spans.push_back(MakeSpan("f", r2, s2));
  const Groups expected = {{{"a", "d"}, {"c"}}, {{"b", "e"}, {"f"}}};
  for (int round = 0; round < 2; ++round) {  // the second round reuses the grouping scratch
    std::string proto;
    EncodeTraceRequestProto(spans, proto);
    EXPECT_EQ(GroupsFromProto(proto), expected);
    std::string json;
    EncodeTraceRequestJson(spans, json);
    EXPECT_EQ(GroupsFromJson(json), expected) << json;
  }
}

TEST_F(TraceEncoderTest, SpansOfOneResourceAndScopeKeepTheirOrder) {
  std::vector<SpanDataPtr> spans;
  for (std::string_view name : {"z", "y", "x"}) spans.push_back(MakeSpan(name, resource_, scope_));
  std::string proto;
  EncodeTraceRequestProto(spans, proto);
  EXPECT_EQ(GroupsFromProto(proto), (Groups{{{"z", "y", "x"}}}));
}

TEST_F(TraceEncoderTest, LargeAttributesGetMultiByteLengthsAtEveryLevel) {
  for (std::size_t size : {126u, 127u, 128u, 16380u, 16384u, 70000u}) {
    std::vector<SpanDataPtr> spans;
    spans.push_back(MakeSpan("big", resource_, scope_));
    const std::string value(size, 'v');
    spans[0]->SetAttribute("k", value);
    std::string proto;
    EncodeTraceRequestProto(spans, proto);
    EXPECT_EQ(GroupsFromProto(proto), (Groups{{{"big"}}})) << size;
    EXPECT_NE(proto.find(value), std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// Partial success

TEST(PartialSuccessProtoTest, EmptyBodyIsFullSuccess) {
  Result<PartialSuccess> result = DecodeTracePartialSuccessProto("");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rejected, 0);
  EXPECT_EQ(result->error_message, "");
}

TEST(PartialSuccessProtoTest, ReadsTheRejectedCountAndMessage) {
  // partial_success (1) { rejected_spans (1): 3, error_message (2): "bad" }
  Result<PartialSuccess> result =
      DecodeTracePartialSuccessProto(Unhex("0a07"
                                           "0803"
                                           "1203626164"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rejected, 3);
  EXPECT_EQ(result->error_message, "bad");
}

TEST(PartialSuccessProtoTest, SkipsUnknownFieldsOfEveryWireType) {
  const std::string body = Unhex(
      "1801"  // unknown varint (3)
      "21"
      "0102030405060708"  // unknown fixed64 (4)
      "2d"
      "01020304"  // unknown fixed32 (5)
      "3202"
      "abcd"  // unknown bytes (6)
      "0a10"  // partial_success, with unknown fields inside
      "1801"
      "2a00"
      "08ac02"
      "2d00000000"
      "1202"
      "6f6b");
  Result<PartialSuccess> result = DecodeTracePartialSuccessProto(body);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rejected, 300);
  EXPECT_EQ(result->error_message, "ok");
}

TEST(PartialSuccessProtoTest, EveryTruncationFailsCleanly) {
  const std::string body = Unhex(
      "0a0b"
      "08ac02"
      "1206"
      "6d6573736167");
  ASSERT_TRUE(DecodeTracePartialSuccessProto(body).ok());
  for (std::size_t n = 1; n < body.size(); ++n) {
    // Copied so that ASan sees a read past the prefix.
    const std::string prefix = body.substr(0, n);
    Result<PartialSuccess> result = DecodeTracePartialSuccessProto(prefix);
    ASSERT_FALSE(result.ok()) << n;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(result.status().message().find("otlp trace export response"), std::string::npos)
        << result.status().message();
  }
}

TEST(PartialSuccessProtoTest, RejectsMalformedWire) {
  const std::vector<std::string> bad = {
      Unhex("0b"),                        // group start
      Unhex("0c"),                        // group end
      Unhex("0f"),                        // wire type 7
      Unhex("00"),                        // field 0
      Unhex("08ffffffffffffffffffff01"),  // an 11-byte varint
      Unhex("0a05"
            "0801"),  // length past the end
      Unhex("0a03"
            "0b0000"),        // a group inside partial_success
      Unhex("0affffffff0f"),  // a 4 GiB length
  };
  for (const std::string& body : bad) {
    Result<PartialSuccess> result = DecodeTracePartialSuccessProto(body);
    EXPECT_FALSE(result.ok()) << Hex(body);
  }
}

TEST(PartialSuccessProtoTest, SurvivesRandomBytes) {
  std::uint64_t state = 88172645463325252ULL;
  int ok = 0;
  for (int i = 0; i < 20000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::string body(state % 24, '\0');
    for (char& c : body) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      c = static_cast<char>(state);
    }
    Result<PartialSuccess> result = DecodeTracePartialSuccessProto(body);
    if (result.ok()) ++ok;
  }
  EXPECT_GT(ok, 0);  // some garbage is a valid message; none crashes
}

TEST(PartialSuccessProtoTest, ErrorMessageIsMadeValidUtf8) {
  Result<PartialSuccess> result =
      DecodeTracePartialSuccessProto(Unhex("0a03"
                                           "1201ff"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->error_message, internal::kReplacementCharacter);
}

TEST(PartialSuccessJsonTest, AcceptsEveryFormOfSuccess) {
  for (std::string_view body :
       {"", "  \n", "{}", R"({"partialSuccess":{}})", R"({"partialSuccess":null})",
        R"({"other":[1,2]})", R"({"partialSuccess":{"rejectedSpans":"0"}})"}) {
    Result<PartialSuccess> result = DecodeTracePartialSuccessJson(body);
    ASSERT_TRUE(result.ok()) << body << ": " << result.status().ToString();
    EXPECT_EQ(result->rejected, 0) << body;
    EXPECT_EQ(result->error_message, "") << body;
  }
}

TEST(PartialSuccessJsonTest, ReadsTheCountAsStringOrNumberUnderEitherName) {
  const std::vector<std::pair<std::string, std::int64_t>> cases = {
      {R"({"partialSuccess":{"rejectedSpans":"12","errorMessage":"too old"}})", 12},
      {R"({"partialSuccess":{"rejectedSpans":12,"errorMessage":"too old"}})", 12},
      {R"({"partialSuccess":{"rejectedSpans":1.2e1,"errorMessage":"too old"}})", 12},
      {R"({"partial_success":{"rejected_spans":"12","error_message":"too old"}})", 12},
      {R"({"partialSuccess":{"rejectedSpans":"9223372036854775807","errorMessage":"too old"}})",
       std::numeric_limits<std::int64_t>::max()},
  };
  for (const auto& [body, rejected] : cases) {
    Result<PartialSuccess> result = DecodeTracePartialSuccessJson(body);
    ASSERT_TRUE(result.ok()) << body << ": " << result.status().ToString();
    EXPECT_EQ(result->rejected, rejected) << body;
    EXPECT_EQ(result->error_message, "too old") << body;
  }
}

TEST(PartialSuccessJsonTest, RejectsMalformedBodiesWithAnError) {
  for (std::string_view body :
       {"{", "[]", "\"x\"", "nul", R"({"partialSuccess":3})",
        R"({"partialSuccess":{"rejectedSpans":"12x"}})",
        R"({"partialSuccess":{"rejectedSpans":1.5}})",
        R"({"partialSuccess":{"rejectedSpans":"9223372036854775808"}})",
        R"({"partialSuccess":{"rejectedSpans":18446744073709551615}})",
        R"({"partialSuccess":{"rejectedSpans":true}})", R"({"partialSuccess":{"errorMessage":5}})",
        "{\"partialSuccess\":{\"errorMessage\":\"\xff\"}}"}) {
    Result<PartialSuccess> result = DecodeTracePartialSuccessJson(body);
    ASSERT_FALSE(result.ok()) << body;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_NE(result.status().message().find("otlp trace export response"), std::string::npos);
  }
}

}  // namespace
}  // namespace llmtrace::otlp
