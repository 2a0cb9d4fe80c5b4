#include "llmtrace/trace/propagation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "llmtrace/common/environment.h"
#include "llmtrace/trace/baggage.h"
#include "llmtrace/trace/trace_state.h"
#include "test/support/string_mutator.h"

namespace llmtrace::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTraceIdHex[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kSpanIdHex[] = "00f067aa0ba902b7";
constexpr char kGoodTraceParent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

// A base context that Extract must return untouched when it rejects the headers.
Context BaseContext() {
  SpanContext local(*TraceId::FromHex("11111111111111111111111111111111"),
                    *SpanId::FromHex("2222222222222222"), TraceFlags(0), /*remote=*/false);
  return Context(local, Baggage::Empty()->Set("base", "yes"));
}

Context ExtractTraceContext(std::string_view traceparent, std::string_view tracestate = {}) {
  HeaderMapCarrier carrier({{"traceparent", std::string(traceparent)}});
  if (!tracestate.empty()) carrier.Set("tracestate", tracestate);
  return TraceContextPropagator().Extract(carrier, BaseContext());
}

bool IsIgnored(std::string_view traceparent) {
  Context extracted = ExtractTraceContext(traceparent, "congo=t61rcWkgMzE");
  return !extracted.span_context().remote() &&
         extracted.span_context().trace_id() == BaseContext().span_context().trace_id() &&
         extracted.span_context().trace_state() == nullptr;
}

std::string WithChar(std::string s, std::size_t pos, char c) {
  s[pos] = c;
  return s;
}

// ---- HeaderMapCarrier ------------------------------------------------------------------------

TEST(HeaderMapCarrierTest, GetIgnoresCaseAndReturnsTheFirstValue) {
  HeaderMapCarrier carrier({{"Content-Type", "a"}, {"TraceParent", "x"}, {"traceparent", "y"}});
  EXPECT_EQ(carrier.Get("traceparent"), "x");
  EXPECT_EQ(carrier.Get("content-type"), "a");
  EXPECT_FALSE(carrier.Get("tracestate").has_value());
}

TEST(HeaderMapCarrierTest, SetReplacesEveryValueOfThatName) {
  HeaderMapCarrier carrier({{"TraceParent", "x"}, {"other", "o"}, {"traceparent", "y"}});
  carrier.Set("traceparent", "z");
  carrier.Set("baggage", "b=1");
  EXPECT_THAT(carrier.headers(),
              ElementsAre(std::pair<std::string, std::string>("TraceParent", "z"),
                          std::pair<std::string, std::string>("other", "o"),
                          std::pair<std::string, std::string>("baggage", "b=1")));
}

// ---- TraceContextPropagator: extract ---------------------------------------------------------

TEST(TraceContextPropagatorTest, ExtractsAValidTraceParentAsARemoteContext) {
  Context extracted = ExtractTraceContext(kGoodTraceParent);
  const SpanContext& sc = extracted.span_context();
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id().ToHex(), kTraceIdHex);
  EXPECT_EQ(sc.span_id().ToHex(), kSpanIdHex);
  EXPECT_TRUE(sc.sampled());
  EXPECT_TRUE(sc.remote());
  EXPECT_EQ(sc.trace_state(), nullptr);
  ASSERT_NE(extracted.baggage(), nullptr);
  EXPECT_EQ(extracted.baggage()->Get("base"), "yes") << "baggage of the base context is kept";
}

TEST(TraceContextPropagatorTest, ExtractsUnsampledFlags) {
  Context extracted =
      ExtractTraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(extracted.span_context().IsValid());
  EXPECT_FALSE(extracted.span_context().sampled());
}

TEST(TraceContextPropagatorTest, KeepsSampledAndRandomFlagsAndClearsUnknownOnes) {
  Context extracted =
      ExtractTraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff");
  ASSERT_TRUE(extracted.span_context().IsValid());
  EXPECT_EQ(extracted.span_context().flags().bits(), 0x03);
}

TEST(TraceContextPropagatorTest, ReadsTheHeaderWhateverItsCase) {
  HeaderMapCarrier carrier({{"TraceParent", kGoodTraceParent}, {"TRACESTATE", "a=1"}});
  Context extracted = TraceContextPropagator().Extract(carrier, Context());
  ASSERT_TRUE(extracted.span_context().IsValid());
  ASSERT_NE(extracted.span_context().trace_state(), nullptr);
  EXPECT_EQ(extracted.span_context().trace_state()->Get("a"), "1");
}

TEST(TraceContextPropagatorTest, TrimsOwsAroundTheTraceParent) {
  EXPECT_FALSE(IsIgnored(std::string(" \t") + kGoodTraceParent + "\t "));
}

TEST(TraceContextPropagatorTest, ReturnsTheBaseWhenThereIsNoTraceParent) {
  HeaderMapCarrier carrier({{"tracestate", "a=1"}});
  Context extracted = TraceContextPropagator().Extract(carrier, BaseContext());
  EXPECT_EQ(extracted.span_context().trace_id(), BaseContext().span_context().trace_id());
  EXPECT_FALSE(extracted.span_context().remote());
  EXPECT_EQ(extracted.span_context().trace_state(), nullptr);
}

TEST(TraceContextPropagatorTest, IgnoresVersionFf) {
  EXPECT_TRUE(IsIgnored("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsIgnored("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
}

TEST(TraceContextPropagatorTest, IgnoresUppercaseHex) {
  EXPECT_TRUE(IsIgnored("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"));
  EXPECT_TRUE(IsIgnored("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"));
}

TEST(TraceContextPropagatorTest, IgnoresVersion00WithAnyLengthOtherThan55) {
  std::string good = kGoodTraceParent;
  EXPECT_TRUE(IsIgnored(good.substr(0, 54)));
  EXPECT_TRUE(IsIgnored(good + "0"));
  EXPECT_TRUE(IsIgnored(good + "-"));
  EXPECT_TRUE(IsIgnored(good + "-extra"));
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"));    // 31
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01"));  // 33
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01"));    // 15
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"));
  EXPECT_TRUE(IsIgnored("0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsIgnored(""));
}

TEST(TraceContextPropagatorTest, AcceptsAFutureVersionAndReadsOnlyTheKnownFields) {
  Context extracted = ExtractTraceContext(
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like");
  ASSERT_TRUE(extracted.span_context().IsValid());
  EXPECT_EQ(extracted.span_context().trace_id().ToHex(), kTraceIdHex);
  EXPECT_EQ(extracted.span_context().span_id().ToHex(), kSpanIdHex);
  EXPECT_TRUE(extracted.span_context().sampled());
  EXPECT_FALSE(IsIgnored("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(IsIgnored("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-"));
}

TEST(TraceContextPropagatorTest, IgnoresAFutureVersionWithoutADashAfterTheFlags) {
  EXPECT_TRUE(IsIgnored("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what"));
  EXPECT_TRUE(IsIgnored("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-010"));
  EXPECT_TRUE(IsIgnored("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0"));
}

TEST(TraceContextPropagatorTest, IgnoresAllZeroIds) {
  EXPECT_TRUE(IsIgnored("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  EXPECT_TRUE(IsIgnored("cc-00000000000000000000000000000000-00f067aa0ba902b7-01-x"));
}

TEST(TraceContextPropagatorTest, IgnoresNonHexCharactersInEveryField) {
  const std::string good = kGoodTraceParent;
  for (std::size_t pos : {0u, 1u, 3u, 20u, 34u, 36u, 45u, 51u, 53u, 54u}) {
    for (char c : {'g', 'z', '.', ' ', '+', '\0', '\x80'}) {
      EXPECT_TRUE(IsIgnored(WithChar(good, pos, c))) << "char " << int(c) << " at " << pos;
    }
  }
}

TEST(TraceContextPropagatorTest, IgnoresBadDelimiters) {
  const std::string good = kGoodTraceParent;
  for (std::size_t pos : {2u, 35u, 52u}) {
    for (char c : {'_', ' ', '0', '.', '\t'}) {
      EXPECT_TRUE(IsIgnored(WithChar(good, pos, c))) << "char " << int(c) << " at " << pos;
    }
  }
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7--01"));
  EXPECT_TRUE(IsIgnored("00--4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"));
}

TEST(TraceContextPropagatorTest, KeepsAValidTraceState) {
  Context extracted =
      ExtractTraceContext(kGoodTraceParent, "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7");
  ASSERT_TRUE(extracted.span_context().IsValid());
  ASSERT_NE(extracted.span_context().trace_state(), nullptr);
  EXPECT_EQ(extracted.span_context().trace_state()->ToHeader(),
            "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
}

TEST(TraceContextPropagatorTest, DropsAnInvalidTraceStateButKeepsTheTraceParent) {
  for (const char* bad : {"a=1,a=2", "Bad=1", "a=1,b", "a=", "a=1 b=2", "k=v\x01"}) {
    Context extracted = ExtractTraceContext(kGoodTraceParent, bad);
    ASSERT_TRUE(extracted.span_context().IsValid()) << bad;
    EXPECT_EQ(extracted.span_context().trace_id().ToHex(), kTraceIdHex);
    EXPECT_EQ(extracted.span_context().trace_state(), nullptr) << bad;
  }
}

TEST(TraceContextPropagatorTest, DropsATraceStateWithThirtyThreeMembers) {
  std::string members;
  for (int i = 0; i < 33; ++i) members += (i ? ",k" : "k") + std::to_string(i) + "=v";
  Context extracted = ExtractTraceContext(kGoodTraceParent, members);
  ASSERT_TRUE(extracted.span_context().IsValid());
  EXPECT_EQ(extracted.span_context().trace_state(), nullptr);
}

TEST(TraceContextPropagatorTest, IgnoresTheTraceStateWhenTheTraceParentIsInvalid) {
  EXPECT_TRUE(IsIgnored("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g"));
}

// ---- TraceContextPropagator: inject ----------------------------------------------------------

TEST(TraceContextPropagatorTest, RoundTripsTraceParentAndTraceState) {
  HeaderMapCarrier in({{"traceparent", kGoodTraceParent},
                       {"tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"}});
  TraceContextPropagator propagator;
  Context extracted = propagator.Extract(in, Context());
  HeaderMapCarrier out;
  propagator.Inject(extracted, out);
  EXPECT_EQ(out.Get("traceparent"), kGoodTraceParent);
  EXPECT_EQ(out.Get("tracestate"), "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
}

TEST(TraceContextPropagatorTest, InjectsVersion00EvenForAFutureVersion) {
  HeaderMapCarrier in(
      {{"traceparent", "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-future"}});
  TraceContextPropagator propagator;
  HeaderMapCarrier out;
  propagator.Inject(propagator.Extract(in, Context()), out);
  EXPECT_EQ(out.Get("traceparent"), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
}

TEST(TraceContextPropagatorTest, InjectsTheFlagsOfTheContext) {
  SpanContext sc(*TraceId::FromHex(kTraceIdHex), *SpanId::FromHex(kSpanIdHex),
                 TraceFlags(TraceFlags::kSampled | TraceFlags::kRandom), /*remote=*/false);
  HeaderMapCarrier out;
  TraceContextPropagator().Inject(Context(sc), out);
  EXPECT_EQ(out.Get("traceparent"), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
  EXPECT_FALSE(out.Get("tracestate").has_value()) << "no trace state, no header";
}

TEST(TraceContextPropagatorTest, InjectsNothingForAnInvalidSpanContext) {
  HeaderMapCarrier out;
  TraceContextPropagator().Inject(Context(), out);
  SpanContext zero_span(*TraceId::FromHex(kTraceIdHex), SpanId(), TraceFlags(1), false,
                        TraceState::Parse("a=1"));
  TraceContextPropagator().Inject(Context(zero_span), out);
  EXPECT_THAT(out.headers(), IsEmpty());
}

TEST(TraceContextPropagatorTest, InjectsNoTraceStateHeaderForAnEmptyState) {
  SpanContext sc(*TraceId::FromHex(kTraceIdHex), *SpanId::FromHex(kSpanIdHex), TraceFlags(1), false,
                 TraceState::Empty());
  HeaderMapCarrier out;
  TraceContextPropagator().Inject(Context(sc), out);
  EXPECT_TRUE(out.Get("traceparent").has_value());
  EXPECT_FALSE(out.Get("tracestate").has_value());
}

TEST(TraceContextPropagatorTest, ListsItsFields) {
  EXPECT_THAT(TraceContextPropagator().Fields(), ElementsAre("traceparent", "tracestate"));
}

// An independent reading of the W3C grammar, to compare the parser against.
bool OracleAcceptsTraceParent(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  static const std::regex kGrammar(
      "([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[\\s\\S]*)?");
  std::smatch match;
  if (!std::regex_match(s, match, kGrammar)) return false;
  if (match[1] == "ff") return false;
  if (match[1] == "00" && match[5].matched) return false;
  return match[2] != std::string(32, '0') && match[3] != std::string(16, '0');
}

TEST(TraceContextPropagatorTest, GarbageNeverCrashesAndMatchesTheGrammar) {
  std::mt19937 rng(7);
  const std::vector<std::string> seeds = {
      kGoodTraceParent, "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future",
      "00-00000000000000000000000000000001-0000000000000001-00"};
  const std::string alphabet = "0123456789abcdefABCDEF-fg \t";
  TraceContextPropagator propagator;
  int accepted = 0;
  int rejected = 0;
  for (int i = 0; i < 6000; ++i) {
    std::string s;
    if (i % 10 == 0) {
      // Entirely random bytes of a random length around 55.
      s.resize(rng() % 80);
      for (char& c : s) c = static_cast<char>(rng() % 256);
    } else {
      s = ::llmtrace::testing::MutateString(
          seeds[i % seeds.size()], rng, alphabet,
          {.max_edits = 3, .alphabet_percent = 75, .max_erase = 1});
    }
    HeaderMapCarrier in({{"traceparent", s}, {"tracestate", s}});
    Context extracted = propagator.Extract(in, Context());
    bool ok = extracted.span_context().IsValid();
    ASSERT_EQ(ok, OracleAcceptsTraceParent(s)) << "'" << s << "'";
    if (!ok) {
      ++rejected;
      continue;
    }
    ++accepted;
    HeaderMapCarrier out;
    propagator.Inject(extracted, out);
    std::optional<std::string_view> injected = out.Get("traceparent");
    ASSERT_TRUE(injected.has_value());
    ASSERT_EQ(injected->size(), 55u);
    Context again = propagator.Extract(out, Context());
    ASSERT_EQ(again.span_context().trace_id(), extracted.span_context().trace_id());
    ASSERT_EQ(again.span_context().span_id(), extracted.span_context().span_id());
    ASSERT_EQ(again.span_context().flags(), extracted.span_context().flags());
  }
  EXPECT_GT(accepted, 300);
  EXPECT_GT(rejected, 3000);
}

// ---- BaggagePropagator -----------------------------------------------------------------------

TEST(BaggagePropagatorTest, ExtractsBaggageOnTopOfTheBaseSpanContext) {
  HeaderMapCarrier in({{"Baggage", "userId=alice,tier=free%20plan;src=gw"}});
  Context extracted = BaggagePropagator().Extract(in, BaseContext());
  EXPECT_EQ(extracted.span_context().trace_id(), BaseContext().span_context().trace_id());
  ASSERT_NE(extracted.baggage(), nullptr);
  EXPECT_EQ(extracted.baggage()->Get("tier"), "free plan");
  EXPECT_FALSE(extracted.baggage()->Get("base").has_value()) << "the header replaces baggage";
}

TEST(BaggagePropagatorTest, KeepsTheBaseBaggageWhenTheHeaderIsAbsentOrInvalid) {
  for (const HeaderMapCarrier& in :
       {HeaderMapCarrier(), HeaderMapCarrier({{"baggage", "no equals, ,bad key=1"}})}) {
    Context extracted = BaggagePropagator().Extract(in, BaseContext());
    ASSERT_NE(extracted.baggage(), nullptr);
    EXPECT_EQ(extracted.baggage()->Get("base"), "yes");
  }
}

TEST(BaggagePropagatorTest, InjectsEncodedBaggageAndRoundTrips) {
  auto baggage = Baggage::Empty()->Set("user", "a,b c")->Set("tier", "pro", "src=gw");
  HeaderMapCarrier out;
  BaggagePropagator().Inject(Context(SpanContext(), baggage), out);
  EXPECT_EQ(out.Get("baggage"), "user=a%2Cb%20c,tier=pro;src=gw");
  Context extracted = BaggagePropagator().Extract(out, Context());
  ASSERT_NE(extracted.baggage(), nullptr);
  EXPECT_EQ(extracted.baggage()->entries(), baggage->entries());
}

TEST(BaggagePropagatorTest, InjectsNothingWithoutBaggage) {
  HeaderMapCarrier out;
  BaggagePropagator().Inject(Context(), out);
  BaggagePropagator().Inject(Context(SpanContext(), Baggage::Empty()), out);
  EXPECT_THAT(out.headers(), IsEmpty());
}

TEST(BaggagePropagatorTest, ListsItsField) {
  EXPECT_THAT(BaggagePropagator().Fields(), ElementsAre("baggage"));
}

// ---- CompositePropagator ---------------------------------------------------------------------

std::unique_ptr<TextMapPropagator> TraceContextAndBaggage() {
  std::vector<std::unique_ptr<TextMapPropagator>> list;
  list.push_back(std::make_unique<TraceContextPropagator>());
  list.push_back(std::make_unique<BaggagePropagator>());
  return std::make_unique<CompositePropagator>(std::move(list));
}

TEST(CompositePropagatorTest, ExtractsAndInjectsWithEveryPropagator) {
  auto propagator = TraceContextAndBaggage();
  HeaderMapCarrier in(
      {{"traceparent", kGoodTraceParent}, {"tracestate", "a=1"}, {"baggage", "k=v"}});
  Context extracted = propagator->Extract(in, Context());
  ASSERT_TRUE(extracted.span_context().IsValid());
  ASSERT_NE(extracted.baggage(), nullptr);
  EXPECT_EQ(extracted.baggage()->Get("k"), "v");
  HeaderMapCarrier out;
  propagator->Inject(extracted, out);
  EXPECT_EQ(out.Get("traceparent"), kGoodTraceParent);
  EXPECT_EQ(out.Get("tracestate"), "a=1");
  EXPECT_EQ(out.Get("baggage"), "k=v");
}

TEST(CompositePropagatorTest, ABadTraceParentDoesNotStopBaggage) {
  auto propagator = TraceContextAndBaggage();
  HeaderMapCarrier in({{"traceparent", "garbage"}, {"baggage", "k=v"}});
  Context extracted = propagator->Extract(in, Context());
  EXPECT_FALSE(extracted.span_context().IsValid());
  ASSERT_NE(extracted.baggage(), nullptr);
  EXPECT_EQ(extracted.baggage()->Get("k"), "v");
}

TEST(CompositePropagatorTest, ListsFieldsOnceInOrder) {
  std::vector<std::unique_ptr<TextMapPropagator>> list;
  list.push_back(std::make_unique<BaggagePropagator>());
  list.push_back(std::make_unique<TraceContextPropagator>());
  list.push_back(std::make_unique<BaggagePropagator>());
  CompositePropagator propagator(std::move(list));
  EXPECT_THAT(propagator.Fields(), ElementsAre("baggage", "traceparent", "tracestate"));
}

TEST(CompositePropagatorTest, AnEmptyListPropagatesNothing) {
  CompositePropagator propagator({});
  HeaderMapCarrier in({{"traceparent", kGoodTraceParent}});
  Context extracted = propagator.Extract(in, BaseContext());
  EXPECT_FALSE(extracted.span_context().remote());
  HeaderMapCarrier out;
  propagator.Inject(ExtractTraceContext(kGoodTraceParent), out);
  EXPECT_THAT(out.headers(), IsEmpty());
  EXPECT_THAT(propagator.Fields(), IsEmpty());
}

// ---- OTEL_PROPAGATORS ------------------------------------------------------------------------

std::vector<std::string> FieldsFor(const MapEnvironment& environment,
                                   std::vector<std::string>* warnings = nullptr) {
  EnvironmentReader env(environment);
  Result<std::unique_ptr<TextMapPropagator>> propagator = PropagatorFromEnvironment(env);
  EXPECT_TRUE(propagator.ok()) << propagator.status().ToString();
  if (warnings != nullptr) *warnings = env.warnings();
  return propagator.ok() ? (*propagator)->Fields() : std::vector<std::string>{};
}

TEST(PropagatorFromEnvironmentTest, DefaultsToTraceContextAndBaggage) {
  std::vector<std::string> warnings;
  EXPECT_THAT(FieldsFor(MapEnvironment(), &warnings),
              ElementsAre("traceparent", "tracestate", "baggage"));
  EXPECT_THAT(warnings, IsEmpty());
  EXPECT_THAT(FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", ""}}),
              ElementsAre("traceparent", "tracestate", "baggage"))
      << "empty is the same as unset";
}

TEST(PropagatorFromEnvironmentTest, DefaultPropagatorRoundTripsBothHeaders) {
  MapEnvironment environment;
  EnvironmentReader env(environment);
  auto propagator = PropagatorFromEnvironment(env);
  ASSERT_TRUE(propagator.ok());
  HeaderMapCarrier in({{"traceparent", kGoodTraceParent}, {"baggage", "k=v"}});
  HeaderMapCarrier out;
  (*propagator)->Inject((*propagator)->Extract(in, Context()), out);
  EXPECT_EQ(out.Get("traceparent"), kGoodTraceParent);
  EXPECT_EQ(out.Get("baggage"), "k=v");
}

TEST(PropagatorFromEnvironmentTest, ReadsANameListInOrderIgnoringCaseAndSpaces) {
  EXPECT_THAT(FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", " Baggage , TRACECONTEXT ,"}}),
              ElementsAre("baggage", "traceparent", "tracestate"));
  EXPECT_THAT(FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", "baggage"}}), ElementsAre("baggage"));
  EXPECT_THAT(FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", "tracecontext,tracecontext"}}),
              ElementsAre("traceparent", "tracestate"));
}

TEST(PropagatorFromEnvironmentTest, NoneTurnsPropagationOff) {
  MapEnvironment environment{{"OTEL_PROPAGATORS", "none"}};
  EnvironmentReader env(environment);
  auto propagator = PropagatorFromEnvironment(env);
  ASSERT_TRUE(propagator.ok());
  EXPECT_THAT(env.warnings(), IsEmpty());
  EXPECT_THAT((*propagator)->Fields(), IsEmpty());
  HeaderMapCarrier in({{"traceparent", kGoodTraceParent}, {"baggage", "k=v"}});
  Context extracted = (*propagator)->Extract(in, Context());
  EXPECT_FALSE(extracted.span_context().IsValid());
  EXPECT_EQ(extracted.baggage(), nullptr);
  HeaderMapCarrier out;
  (*propagator)->Inject(ExtractTraceContext(kGoodTraceParent), out);
  EXPECT_THAT(out.headers(), IsEmpty());
}

TEST(PropagatorFromEnvironmentTest, NoneWithOtherNamesWinsAndWarns) {
  std::vector<std::string> warnings;
  EXPECT_THAT(FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", "tracecontext,None"}}, &warnings),
              IsEmpty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("OTEL_PROPAGATORS"));
  EXPECT_THAT(warnings[0], HasSubstr("none"));
}

TEST(PropagatorFromEnvironmentTest, WarnsAboutUnknownNamesAndIgnoresThem) {
  std::vector<std::string> warnings;
  EXPECT_THAT(FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", "tracecontext,zipkin-ish"}}, &warnings),
              ElementsAre("traceparent", "tracestate"));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("OTEL_PROPAGATORS"));
  EXPECT_THAT(warnings[0], HasSubstr("'zipkin-ish'"));
  EXPECT_THAT(warnings[0], HasSubstr("unknown"));
}

TEST(PropagatorFromEnvironmentTest, WarnsThatB3JaegerAndXrayAreNotSupported) {
  std::vector<std::string> warnings;
  EXPECT_THAT(
      FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", "b3,b3multi,jaeger,xray,baggage"}}, &warnings),
      ElementsAre("baggage"));
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_THAT(warnings[0], HasSubstr("'b3'"));
  EXPECT_THAT(warnings[2], HasSubstr("'jaeger'"));
  EXPECT_THAT(warnings[3], HasSubstr("'xray'"));
  for (const std::string& warning : warnings) EXPECT_THAT(warning, HasSubstr("not supported"));
}

TEST(PropagatorFromEnvironmentTest, OnlyUnknownNamesMeanNoPropagation) {
  std::vector<std::string> warnings;
  EXPECT_THAT(FieldsFor(MapEnvironment{{"OTEL_PROPAGATORS", "foo"}}, &warnings), IsEmpty());
  EXPECT_EQ(warnings.size(), 1u);
}

}  // namespace
}  // namespace llmtrace::trace
