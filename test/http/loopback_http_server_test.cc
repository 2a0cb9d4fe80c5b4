#include "test/support/loopback_http_server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "llmtrace/common/strings.h"

namespace llmtrace::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A hand-driven client connection, so tests control exactly which bytes go over the wire.
// Reads time out after 5 s, so a misbehaving server fails the test instead of hanging it.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    timeval timeout{.tv_sec = 5, .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawConnection() { close(fd_); }

  bool connected() const { return connected_; }

  bool Write(std::string_view data) {
    return send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }

  // One response (head plus Content-Length body), or "" if the connection closed first.
  std::string ReadResponse() {
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return "";
    }
    std::size_t body_length = 0;
    const std::string head = ToLowerAscii(std::string_view(buffer_).substr(0, head_end));
    if (const std::size_t field = head.find("content-length:"); field != std::string::npos) {
      body_length = std::stoul(head.substr(field + 15));
    }
    const std::size_t total = head_end + 4 + body_length;
    while (buffer_.size() < total) {
      if (!Fill()) return "";
    }
    std::string response = buffer_.substr(0, total);
    buffer_.erase(0, total);
    return response;
  }

  // True once the server has closed its side (recv returns end of stream).
  bool SeesEndOfStream() {
    char byte;
    return recv(fd_, &byte, 1, 0) == 0;
  }

 private:
  bool Fill() {
    char chunk[4096];
    const ssize_t received = recv(fd_, chunk, sizeof(chunk), 0);
    if (received <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(received));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

TEST(LoopbackHttpServerTest, DecodesAChunkedRequestBody) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request& request) {
    return LoopbackHttpServer::Response{.body = std::to_string(request.body.size())};
  });
  ASSERT_TRUE(server.Start().ok());
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.connected());

  // Chunks arrive in separate writes, split mid-chunk, with an extension and a trailer field.
  ASSERT_TRUE(connection.Write(
      "POST /v1/logs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nhel"));
  ASSERT_TRUE(connection.Write("lo, \r\na;ext=1\r\nchunked wo\r\n"));
  ASSERT_TRUE(connection.Write("3\r\nrld\r\n0\r\nX-Trailer: t\r\n\r\n"));
  const std::string response = connection.ReadResponse();

  EXPECT_THAT(response, HasSubstr("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(response, ::testing::EndsWith("\r\n\r\n20"));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].body, "hello, chunked world");
  EXPECT_EQ(server.requests()[0].target, "/v1/logs");
}

TEST(LoopbackHttpServerTest, ServesSeveralRequestsOnOneKeepAliveConnection) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request& request) {
    return LoopbackHttpServer::Response{.status = 201, .body = "got " + request.target};
  });
  ASSERT_TRUE(server.Start().ok());
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.connected());

  std::vector<std::string> bodies;
  for (const char* target : {"/one", "/two", "/three"}) {
    ASSERT_TRUE(connection.Write(std::string("POST ") + target +
                                 " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"));
    const std::string response = connection.ReadResponse();
    ASSERT_THAT(response, HasSubstr("HTTP/1.1 201 "));
    bodies.push_back(response.substr(response.find("\r\n\r\n") + 4));
  }

  EXPECT_THAT(bodies, ElementsAre("got /one", "got /two", "got /three"));
  EXPECT_EQ(server.accepted_connections(), 1u);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.requests()[2].body, "body");
}

TEST(LoopbackHttpServerTest, ClosesTheConnectionWhenTheResponseAsksTo) {
  LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
    return LoopbackHttpServer::Response{.close_connection = true};
  });
  ASSERT_TRUE(server.Start().ok());
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.connected());

  ASSERT_TRUE(connection.Write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

  EXPECT_THAT(connection.ReadResponse(), HasSubstr("Connection: close\r\n"));
  EXPECT_TRUE(connection.SeesEndOfStream());
}

TEST(LoopbackHttpServerTest, StopsPromptlyWithAnIdleKeepAliveConnectionOpen) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.connected());
  ASSERT_TRUE(connection.Write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_THAT(connection.ReadResponse(), HasSubstr("200 OK"));

  const auto started = std::chrono::steady_clock::now();
  server.Stop();

  // Far above the server's 50 ms poll interval, far below its 30 s idle timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_TRUE(connection.SeesEndOfStream());
}

TEST(LoopbackHttpServerTest, RefusesToStartTwice) {
  LoopbackHttpServer server;
  ASSERT_TRUE(server.Start().ok());

  EXPECT_EQ(server.Start().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(server.port(), 0);
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()));
}

}  // namespace
}  // namespace llmtrace::testing
