#include "llmtrace/metrics/prometheus_http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "llmtrace/common/internal_log.h"
#include "llmtrace/metrics/prometheus_exposition.h"

namespace llmtrace::metrics {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

std::string ErrnoText(int error) { return std::strerror(error); }

void CloseFd(int& fd) noexcept {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Waits until `fd` has `events` or `wake_fd` is readable or the deadline passes; true only for
// the first.
bool WaitFor(int fd, short events, int wake_fd, SteadyTime deadline) noexcept {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd fds[2] = {{fd, events, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    if (fds[1].revents != 0) return false;
    return fds[0].revents != 0;
  }
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Internal Server Error";
  }
}

std::string BuildResponse(int status, std::string_view content_type, std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  out += ReasonPhrase(status);
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: " + std::to_string(body.size());
  if (status == 405) out += "\r\nAllow: GET";
  out += "\r\nConnection: close\r\n\r\n";
  out += body;
  return out;
}

}  // namespace

PrometheusScrapeResponse HandleScrape(PrometheusReader& reader) noexcept {
  PrometheusScrapeResponse response;
  try {
    response.content_type = std::string(kPrometheusTextContentType);
  } catch (...) {
    response.status = 500;
    return response;
  }
  response.body = reader.Render();
  return response;
}

Result<std::unique_ptr<PrometheusHttpServer>> PrometheusHttpServer::Start(
    std::shared_ptr<PrometheusReader> reader, PrometheusHttpServerOptions options) {
  const std::string where =
      "prometheus http server on " + options.address + ":" + std::to_string(options.port);
  if (!reader) return InvalidArgumentError(where + ": the reader is null");
  if (options.path.empty() || options.path.front() != '/') {
    return InvalidArgumentError(where + ": path must start with '/', got '" + options.path + "'");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(options.port);
  if (::inet_pton(AF_INET, options.address.c_str(), &address.sin_addr) != 1) {
    return InvalidArgumentError(where + ": address is not an IPv4 literal");
  }
  std::unique_ptr<PrometheusHttpServer> server(
      new PrometheusHttpServer(std::move(reader), std::move(options)));
  server->listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (server->listen_fd_ < 0) return UnavailableError(where + ": socket: " + ErrnoText(errno));
  const int one = 1;
  ::setsockopt(server->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(server->listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) !=
      0) {
    return UnavailableError(where + ": bind: " + ErrnoText(errno));
  }
  if (::listen(server->listen_fd_, 16) != 0) {
    return UnavailableError(where + ": listen: " + ErrnoText(errno));
  }
  socklen_t length = sizeof address;
  ::getsockname(server->listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  server->port_ = ntohs(address.sin_port);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return UnavailableError(where + ": pipe: " + ErrnoText(errno));
  }
  server->wake_read_fd_ = pipe_fds[0];
  server->wake_write_fd_ = pipe_fds[1];
  try {
    server->thread_ = std::thread([raw = server.get()] { raw->Serve(); });
  } catch (const std::exception& e) {
    return UnavailableError(where + ": cannot start the thread: " + e.what());
  }
  return server;
}

PrometheusHttpServer::PrometheusHttpServer(std::shared_ptr<PrometheusReader> reader,
                                           PrometheusHttpServerOptions options)
    : reader_(std::move(reader)), options_(std::move(options)) {}

PrometheusHttpServer::~PrometheusHttpServer() { Stop(); }

void PrometheusHttpServer::Stop() noexcept {
  if (wake_write_fd_ >= 0) {
    const char byte = 1;
    while (::write(wake_write_fd_, &byte, 1) < 0 && errno == EINTR) {
    }
  }
  if (thread_.joinable()) thread_.join();
  CloseFd(listen_fd_);
  CloseFd(wake_read_fd_);
  CloseFd(wake_write_fd_);
}

void PrometheusHttpServer::Serve() noexcept {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_read_fd_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      InternalLog(LogLevel::kError, "prometheus http server: poll: " + ErrnoText(errno));
      return;
    }
    if (fds[1].revents != 0) return;  // Stop
    if (fds[0].revents == 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;  // the client gave up (ECONNABORTED) or fds ran out: try again later
    ServeConnection(fd);
    ::close(fd);
  }
}

void PrometheusHttpServer::ServeConnection(int fd) noexcept {
  try {
    const SteadyTime deadline = std::chrono::steady_clock::now() + options_.read_timeout;
    std::string request;
    std::size_t head_end = std::string::npos;
    int status = 0;
    char buffer[4096];
    while (head_end == std::string::npos) {
      if (request.size() > options_.max_request_bytes) {
        status = 431;
        break;
      }
      if (!WaitFor(fd, POLLIN, wake_read_fd_, deadline)) return;  // too slow, or stopping
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // closed before a whole request arrived
      request.append(buffer, static_cast<std::size_t>(n));
      head_end = request.find("\r\n\r\n");
    }
    if (status == 0 && head_end + 4 > options_.max_request_bytes) status = 431;

    std::string body;
    std::string_view content_type = "text/plain; charset=utf-8";
    if (status == 0) {
      const std::string_view line = std::string_view(request).substr(0, request.find("\r\n"));
      const std::size_t method_end = line.find(' ');
      const std::size_t target_end =
          method_end == std::string_view::npos ? method_end : line.find(' ', method_end + 1);
      if (target_end == std::string_view::npos ||
          !line.substr(target_end + 1).starts_with("HTTP/")) {
        status = 400;
      } else {
        const std::string_view method = line.substr(0, method_end);
        std::string_view target = line.substr(method_end + 1, target_end - method_end - 1);
        target = target.substr(0, target.find('?'));
        if (target != options_.path) {
          status = 404;
        } else if (method != "GET") {
          status = 405;
        } else {
          PrometheusScrapeResponse scrape = HandleScrape(*reader_);
          status = scrape.status;
          body = std::move(scrape.body);
          if (status == 200) {
            content_type = kPrometheusTextContentType;
            scrapes_.fetch_add(1, std::memory_order_relaxed);
          }
        }
      }
    }
    if (status != 200) body = std::string(ReasonPhrase(status)) + "\n";

    const std::string response = BuildResponse(status, content_type, body);
    const SteadyTime write_deadline = std::chrono::steady_clock::now() + options_.read_timeout;
    std::size_t sent = 0;
    while (sent < response.size()) {
      const ssize_t n =
          ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!WaitFor(fd, POLLOUT, wake_read_fd_, write_deadline)) return;
      } else {
        return;  // the client went away
      }
    }
    ::shutdown(fd, SHUT_WR);
  } catch (...) {  // std::bad_alloc: drop this connection, keep serving
  }
}

}  // namespace llmtrace::metrics
