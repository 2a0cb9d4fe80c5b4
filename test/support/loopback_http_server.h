// LoopbackHttpServer: a small HTTP/1.1 server on 127.0.0.1 for tests of HTTP clients and
// exporters.
//
// Binds a kernel-chosen port, so tests never collide. One thread accepts; each connection is
// served on its own thread, with keep-alive and Content-Length or chunked request bodies. A
// handler scripts the responses, and its Response can also misbehave on purpose: answer late
// (`delay`), close after answering (`close_connection`) or drop the connection without an
// answer (`reset_connection`, a crashed collector). Every request is recorded.
// Thread-safety: the accessors may be called from any thread while the server runs; the
// handler runs on connection threads, concurrently when clients are. Stop() (also run by the
// destructor) returns promptly even with idle keep-alive connections open.
//
//   LoopbackHttpServer server([](const LoopbackHttpServer::Request&) {
//     return LoopbackHttpServer::Response{.status = 503};
//   });
//   ASSERT_TRUE(server.Start().ok());
//   client.Send({.url = server.base_url() + "/v1/traces"});  // then check server.requests()
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "llmtrace/common/status.h"

namespace llmtrace::testing {

class LoopbackHttpServer {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  struct Request {
    std::string method;
    std::string target;  // path and query, as sent
    Headers headers;     // names lower-cased, in arrival order
    std::string body;    // de-chunked

    // The first header with this name (case-insensitive), if any.
    std::optional<std::string_view> Header(std::string_view name) const;
  };

  struct Response {
    int status = 200;
    Headers headers;  // Content-Length is added unless present
    std::string body;
    bool close_connection = false;       // close after responding
    std::chrono::milliseconds delay{0};  // wait before responding (capped at 10 s; Stop cuts it)
    bool reset_connection = false;       // close with a TCP RST instead of responding
  };

  using Handler = std::function<Response(const Request&)>;

  // What the server keeps of each request: everything (tests inspect it), or only the count
  // (benchmarks, which would otherwise hold every body in memory).
  enum class Recording { kRequests, kCountOnly };

  // The default handler answers 200 with an empty body.
  explicit LoopbackHttpServer(Handler handler = nullptr,
                              Recording recording = Recording::kRequests);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  // Binds and starts serving; fails if the socket cannot be bound or the server already ran.
  Status Start();
  // Closes the listener and every connection and joins all threads. Idempotent; call it from
  // the thread that owns the server.
  void Stop();

  std::uint16_t port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  std::vector<Request> requests() const;  // a copy, in arrival order
  std::size_t request_count() const;
  std::size_t accepted_connections() const { return accepted_connections_.load(); }

 private:
  void AcceptLoop();
  void ServeConnection(int fd);

  Handler handler_;
  const Recording recording_;
  std::atomic<std::size_t> request_count_{0};
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> accepted_connections_{0};
  std::thread accept_thread_;

  mutable std::mutex mutex_;
  std::vector<Request> requests_;                // guarded by mutex_
  std::set<int> open_fds_;                       // guarded by mutex_
  std::vector<std::thread> connection_threads_;  // guarded by mutex_
};

}  // namespace llmtrace::testing
