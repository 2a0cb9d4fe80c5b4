// PrometheusHttpServer: a minimal /metrics endpoint that Prometheus scrapes, serving a
// PrometheusReader; and HandleScrape, the same response for servers that mount it themselves.
//
// For applications that have no HTTP server of their own. It binds 127.0.0.1 by default (port 0
// lets the kernel choose: read port()), answers GET <path> with the text exposition
// (Content-Type: text/plain; version=0.0.4; charset=utf-8), 404 for other paths and 405 for
// other methods, and closes every connection after one response. One thread serves connections
// one at a time; a request must arrive whole within read_timeout and within max_request_bytes,
// so a slow or hostile client costs at most that. The gateway mounts HandleScrape in its own
// server instead.
// Thread-safety: port() and scrapes() from any thread; Stop (also run by the destructor) from
// the owning thread; it returns promptly even while a client is connected.
//
//   auto reader = std::make_shared<metrics::PrometheusReader>();
//   auto server = metrics::PrometheusHttpServer::Start(reader, {.port = 9464});
//   if (!server.ok()) LogError(server.status().ToString());
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "llmtrace/common/result.h"
#include "llmtrace/metrics/prometheus_reader.h"

namespace llmtrace::metrics {

struct PrometheusScrapeResponse {
  int status = 200;
  std::string content_type;  // kPrometheusTextContentType
  std::string body;
};

// One scrape of `reader`: framework-neutral, for any server. Never throws.
PrometheusScrapeResponse HandleScrape(PrometheusReader& reader) noexcept;

struct PrometheusHttpServerOptions {
  std::string address = "127.0.0.1";  // an IPv4 literal; "0.0.0.0" for every interface
  std::uint16_t port = 0;             // 0: chosen by the kernel
  std::string path = "/metrics";
  std::chrono::milliseconds read_timeout{5'000};  // for the request head, and for the answer
  std::size_t max_request_bytes = 16 * 1024;      // the request head; larger gets 431
};

class PrometheusHttpServer {
 public:
  // Binds, listens and starts the serving thread. Fails (with the address in the message) when
  // the address is not an IPv4 literal or cannot be bound, or the reader is null.
  static Result<std::unique_ptr<PrometheusHttpServer>> Start(
      std::shared_ptr<PrometheusReader> reader, PrometheusHttpServerOptions options = {});
  ~PrometheusHttpServer();
  PrometheusHttpServer(const PrometheusHttpServer&) = delete;
  PrometheusHttpServer& operator=(const PrometheusHttpServer&) = delete;

  // Closes the listener and joins the thread. Idempotent.
  void Stop() noexcept;

  std::uint16_t port() const noexcept { return port_; }
  // Requests answered with 200.
  std::uint64_t scrapes() const noexcept { return scrapes_.load(std::memory_order_relaxed); }

 private:
  PrometheusHttpServer(std::shared_ptr<PrometheusReader> reader,
                       PrometheusHttpServerOptions options);
  void Serve() noexcept;
  void ServeConnection(int fd) noexcept;

  const std::shared_ptr<PrometheusReader> reader_;
  const PrometheusHttpServerOptions options_;
  int listen_fd_ = -1;
  int wake_read_fd_ = -1;  // a pipe: Stop writes a byte, the thread's poll wakes
  int wake_write_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> scrapes_{0};
  std::thread thread_;
};

}  // namespace llmtrace::metrics
