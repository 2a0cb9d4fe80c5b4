#include "llmtrace/http/curl_http_client.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test/support/loopback_http_server.h"

namespace llmtrace::http {
namespace {

using ::llmtrace::testing::LoopbackHttpServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;

std::unique_ptr<CurlHttpClient> MakeClient() {
  Result<std::unique_ptr<CurlHttpClient>> client = CurlHttpClient::Create();
  return std::move(client).value();  // aborts with the status if Create failed
}

// A loopback port that refuses connections: bound, so nobody else can take it, but not
// listening.
class RefusingPort {
 public:
  RefusingPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

TEST(CurlHttpClientTest, SendsTheBodyAndHeadersExactly) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  std::string body("\0binary\0payload\r\n", 18);
  for (int byte = 0; byte < 256; ++byte) body.push_back(static_cast<char>(byte));

  Result<HttpResponse> response = MakeClient()->Send(
      {.method = "POST",
       .url = server.base_url() + "/v1/traces?tenant=a",
       .headers = {{"Content-Type", "application/x-protobuf"}, {"X-Api-Key", " k 1 "}},
       .body = body});

  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  const std::vector<LoopbackHttpServer::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const LoopbackHttpServer::Request& received = requests[0];
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.target, "/v1/traces?tenant=a");
  EXPECT_EQ(received.body, body);
  EXPECT_THAT(received.Header("content-type"),
              Optional(std::string_view("application/x-protobuf")));
  EXPECT_THAT(received.Header("x-api-key"), Optional(std::string_view("k 1")));
  EXPECT_THAT(received.Header("content-length"), Optional(std::to_string(body.size())));
  EXPECT_THAT(received.Header("user-agent"), Optional(std::string_view("llmtrace/0.1.0")));
  EXPECT_EQ(received.Header("expect"), std::nullopt);
}

TEST(CurlHttpClientTest, SendsNoContentTypeUnlessTheRequestHasOne) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());

  ASSERT_TRUE(MakeClient()->Send({.url = server.base_url(), .body = "x"}).ok());

  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].Header("content-type"), std::nullopt);
}

TEST(CurlHttpClientTest, UsesTheConfiguredUserAgentUnlessTheRequestSetsOne) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  Result<std::unique_ptr<CurlHttpClient>> client =
      CurlHttpClient::Create({.user_agent = "my-agent/2"});
  ASSERT_TRUE(client.ok());

  ASSERT_TRUE((*client)->Send({.url = server.base_url()}).ok());
  ASSERT_TRUE(
      (*client)->Send({.url = server.base_url(), .headers = {{"User-Agent", "override"}}}).ok());

  const std::vector<LoopbackHttpServer::Request> requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_THAT(requests[0].Header("user-agent"), Optional(std::string_view("my-agent/2")));
  EXPECT_THAT(requests[1].Header("user-agent"), Optional(std::string_view("override")));
}

TEST(CurlHttpClientTest, ReturnsTheResponseStatusHeadersAndBody) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::Response{
        .status = 202,
        .headers = {{"X-Partial", "  rejected=3  "}, {"Content-Type", "application/json"}},
        .body = std::string("{\"ok\":\0true}", 12)};
  });
  ASSERT_TRUE(server.Start().ok());

  Result<HttpResponse> response = MakeClient()->Send({.url = server.base_url() + "/v1/traces"});

  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 202);
  EXPECT_EQ(response->body, std::string("{\"ok\":\0true}", 12));
  EXPECT_THAT(response->Header("X-PARTIAL"), Optional(std::string_view("rejected=3")));
  EXPECT_THAT(response->headers, ::testing::Contains(Pair("content-type", "application/json")));
  EXPECT_EQ(response->Header("x-missing"), std::nullopt);
}

TEST(CurlHttpClientTest, TreatsClientAndServerErrorStatusesAsSuccessfulSends) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request& request) {
    return LoopbackHttpServer::Response{.status = request.target == "/throttle" ? 429 : 503,
                                        .body = "try later"};
  });
  ASSERT_TRUE(server.Start().ok());
  std::unique_ptr<CurlHttpClient> client = MakeClient();

  Result<HttpResponse> throttled = client->Send({.url = server.base_url() + "/throttle"});
  Result<HttpResponse> unavailable = client->Send({.url = server.base_url() + "/down"});

  ASSERT_TRUE(throttled.ok()) << throttled.status().ToString();
  EXPECT_EQ(throttled->status, 429);
  ASSERT_TRUE(unavailable.ok()) << unavailable.status().ToString();
  EXPECT_EQ(unavailable->status, 503);
  EXPECT_EQ(unavailable->body, "try later");
}

TEST(CurlHttpClientTest, SendsGetPutAndDeleteWithTheirBodies) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  std::unique_ptr<CurlHttpClient> client = MakeClient();

  ASSERT_TRUE(client->Send({.method = "GET", .url = server.base_url() + "/a"}).ok());
  ASSERT_TRUE(client->Send({.method = "PUT", .url = server.base_url() + "/b", .body = "v"}).ok());
  ASSERT_TRUE(client->Send({.method = "DELETE", .url = server.base_url() + "/c"}).ok());

  std::vector<std::string> seen;
  for (const auto& request : server.requests()) {
    seen.push_back(request.method + " " + request.target + " [" + request.body + "]");
  }
  EXPECT_THAT(seen, ElementsAre("GET /a []", "PUT /b [v]", "DELETE /c []"));
}

TEST(CurlHttpClientTest, ReusesTheConnectionAcrossRequests) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  std::unique_ptr<CurlHttpClient> client = MakeClient();

  for (int i = 0; i < 5; ++i) {
    Result<HttpResponse> response =
        client->Send({.url = server.base_url() + "/v1/traces", .body = std::to_string(i)});
    ASSERT_TRUE(response.ok()) << response.status().ToString();
  }

  EXPECT_EQ(server.request_count(), 5u);
  EXPECT_EQ(server.accepted_connections(), 1u);
}

TEST(CurlHttpClientTest, ReconnectsAfterTheServerClosesTheConnection) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::Response{.close_connection = true};
  });
  ASSERT_TRUE(server.Start().ok());
  std::unique_ptr<CurlHttpClient> client = MakeClient();

  ASSERT_TRUE(client->Send({.url = server.base_url()}).ok());
  ASSERT_TRUE(client->Send({.url = server.base_url()}).ok());

  EXPECT_EQ(server.accepted_connections(), 2u);
}

TEST(CurlHttpClientTest, ReportsARefusedConnectionAsUnavailableNamingTheUrl) {
  RefusingPort refusing;
  const std::string url = "http://127.0.0.1:" + std::to_string(refusing.port()) + "/v1/traces";

  Result<HttpResponse> response = MakeClient()->Send({.url = url, .body = "x"});

  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr("POST " + url + ": "));
  EXPECT_THAT(response.status().message(), HasSubstr("connect"));
}

TEST(CurlHttpClientTest, KeepsUrlCredentialsOutOfErrorMessages) {
  RefusingPort refusing;
  const std::string url =
      "http://user:s3cret@127.0.0.1:" + std::to_string(refusing.port()) + "/v1/traces";

  Result<HttpResponse> response = MakeClient()->Send({.url = url});

  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.status().message(), Not(HasSubstr("s3cret")));
  EXPECT_THAT(response.status().message(), HasSubstr("http://127.0.0.1:"));
}

TEST(CurlHttpClientTest, ReportsASlowServerAsDeadlineExceeded) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::Response{.delay = std::chrono::seconds(5)};
  });
  ASSERT_TRUE(server.Start().ok());

  Result<HttpResponse> response = MakeClient()->Send(
      {.url = server.base_url() + "/slow", .timeout = std::chrono::milliseconds(200)});

  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_THAT(response.status().message(), HasSubstr(server.base_url() + "/slow"));
}

TEST(CurlHttpClientTest, SendsConcurrentlyFromSeveralThreads) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request& request) {
    return LoopbackHttpServer::Response{.body = "echo " + request.body};
  });
  ASSERT_TRUE(server.Start().ok());
  std::unique_ptr<CurlHttpClient> client = MakeClient();
  constexpr int kThreads = 4;
  constexpr int kRequestsPerThread = 10;
  std::atomic<int> echoed{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequestsPerThread; ++i) {
        const std::string body = std::to_string(t) + "-" + std::to_string(i);
        Result<HttpResponse> response = client->Send({.url = server.base_url(), .body = body});
        if (response.ok() && response->status == 200 && response->body == "echo " + body) {
          echoed.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(echoed.load(), kThreads * kRequestsPerThread);
  std::set<std::string> bodies;
  for (const auto& request : server.requests()) bodies.insert(request.body);
  EXPECT_EQ(bodies.size(), static_cast<std::size_t>(kThreads * kRequestsPerThread));
}

TEST(CurlHttpClientTest, ReportsAResetConnectionAsAnErrorAndRecovers) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request& request) {
    return LoopbackHttpServer::Response{.reset_connection = request.target == "/crash"};
  });
  ASSERT_TRUE(server.Start().ok());
  std::unique_ptr<CurlHttpClient> client = MakeClient();

  Result<HttpResponse> crashed = client->Send({.url = server.base_url() + "/crash"});
  Result<HttpResponse> after = client->Send({.url = server.base_url() + "/ok"});

  ASSERT_FALSE(crashed.ok());
  EXPECT_EQ(crashed.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(crashed.status().message(), HasSubstr(server.base_url() + "/crash"));
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->status, 200);
}

TEST(CurlHttpClientTest, RejectsMalformedRequestsWithoutSending) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  std::unique_ptr<CurlHttpClient> client = MakeClient();

  Result<HttpResponse> injected =
      client->Send({.url = server.base_url(), .headers = {{"X-Evil", "a\r\nX-Injected: 1"}}});
  Result<HttpResponse> lower_case_method =
      client->Send({.method = "post", .url = server.base_url()});
  Result<HttpResponse> no_timeout =
      client->Send({.url = server.base_url(), .timeout = std::chrono::milliseconds(0)});
  Result<HttpResponse> not_http = client->Send({.url = "file:///etc/passwd"});

  EXPECT_EQ(injected.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(lower_case_method.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(no_timeout.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(not_http.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(CurlHttpClientTest, RejectsAUserAgentWithLineBreaks) {
  Result<std::unique_ptr<CurlHttpClient>> client =
      CurlHttpClient::Create({.user_agent = "a\r\nX-Injected: 1"});

  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace llmtrace::http
