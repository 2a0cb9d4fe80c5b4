// PrometheusHttpServer and HandleScrape: what a scraper sees over a real loopback socket.
#include "llmtrace/metrics/prometheus_http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>

#include "llmtrace/http/curl_http_client.h"
#include "llmtrace/metrics/prometheus_exposition.h"

namespace llmtrace::metrics {
namespace {

std::shared_ptr<PrometheusReader> ReaderWithOneCounter() {
  auto reader = std::make_shared<PrometheusReader>();
  EXPECT_TRUE(reader
                  ->SetCollector([](const MetricReader&) {
                    MetricData metric;
                    metric.descriptor.name = "scrape.hits";
                    metric.descriptor.description = "Hits";
                    SumData sum;
                    sum.points.emplace_back();
                    sum.points.back().value = std::int64_t{3};
                    metric.data = sum;
                    ResourceMetrics snapshot;
                    snapshot.scopes.push_back(ScopeMetrics{{}, {metric}});
                    return snapshot;
                  })
                  .ok());
  return reader;
}

http::HttpResponse Send(const std::string& method, const std::string& url) {
  auto client = http::CurlHttpClient::Create();
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  auto response =
      (*client)->Send({.method = method, .url = url, .timeout = std::chrono::milliseconds(5'000)});
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  return response.ok() ? *response : http::HttpResponse{};
}

TEST(PrometheusHttpServerTest, ServesTheExpositionOnGetMetrics) {
  auto server = PrometheusHttpServer::Start(ReaderWithOneCounter());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_NE((*server)->port(), 0);
  const std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  const http::HttpResponse response = Send("GET", base + "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-type").value_or(""),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response.body,
            "# HELP scrape_hits_total Hits\n# TYPE scrape_hits_total counter\n"
            "scrape_hits_total 3\n");
  // A query string does not change the path.
  EXPECT_EQ(Send("GET", base + "/metrics?name[]=x").status, 200);
  EXPECT_EQ((*server)->scrapes(), 2u);
}

TEST(PrometheusHttpServerTest, AnswersNotFoundForOtherPathsAndMethodNotAllowedForOtherMethods) {
  auto server = PrometheusHttpServer::Start(ReaderWithOneCounter());
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  EXPECT_EQ(Send("GET", base + "/").status, 404);
  EXPECT_EQ(Send("GET", base + "/metricsx").status, 404);
  const http::HttpResponse post = Send("POST", base + "/metrics");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("allow").value_or(""), "GET");
  EXPECT_EQ(Send("DELETE", base + "/metrics").status, 405);
  EXPECT_EQ((*server)->scrapes(), 0u);
}

TEST(PrometheusHttpServerTest, ServesAConfiguredPath) {
  auto server = PrometheusHttpServer::Start(ReaderWithOneCounter(), {.path = "/custom"});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  EXPECT_EQ(Send("GET", base + "/custom").status, 200);
  EXPECT_EQ(Send("GET", base + "/metrics").status, 404);
}

TEST(PrometheusHttpServerTest, RejectsABadAddressANullReaderAndABusyPort) {
  auto bad = PrometheusHttpServer::Start(ReaderWithOneCounter(), {.address = "localhost"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("localhost"), std::string::npos);
  EXPECT_FALSE(PrometheusHttpServer::Start(nullptr).ok());

  auto first = PrometheusHttpServer::Start(ReaderWithOneCounter());
  ASSERT_TRUE(first.ok());
  auto second = PrometheusHttpServer::Start(ReaderWithOneCounter(), {.port = (*first)->port()});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST(PrometheusHttpServerTest, StopsPromptlyWhileAClientHoldsAConnectionOpen) {
  auto server =
      PrometheusHttpServer::Start(ReaderWithOneCounter(), {.read_timeout = std::chrono::hours(1)});
  ASSERT_TRUE(server.ok());
  // A client that connects and sends half a request, then waits forever.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons((*server)->port());
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::send(fd, "GET /metr", 9, 0), 9);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the server start reading
  const auto start = std::chrono::steady_clock::now();
  (*server)->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  ::close(fd);
}

TEST(PrometheusHttpServerTest, AnswersAnOversizedRequestHeadWith431) {
  auto server = PrometheusHttpServer::Start(ReaderWithOneCounter(), {.max_request_bytes = 256});
  ASSERT_TRUE(server.ok());
  const std::string base = "http://127.0.0.1:" + std::to_string((*server)->port());
  EXPECT_EQ(Send("GET", base + "/metrics?" + std::string(2000, 'a')).status, 431);
}

TEST(HandleScrapeTest, ReturnsTheContentTypeAndTheRenderedBody) {
  auto reader = ReaderWithOneCounter();
  const PrometheusScrapeResponse response = HandleScrape(*reader);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, kPrometheusTextContentType);
  EXPECT_EQ(response.body, reader->Render());
  EXPECT_NE(response.body.find("scrape_hits_total 3"), std::string::npos);
}

}  // namespace
}  // namespace llmtrace::metrics
