#include "test/support/loopback_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <system_error>

#include "llmtrace/common/strings.h"

namespace llmtrace::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Every blocking step waits at most this long before re-checking whether the server stops.
constexpr int kPollIntervalMs = 50;
constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr auto kMaxDelay = std::chrono::seconds(10);
constexpr std::size_t kMaxHeaderLine = 64 * 1024;
constexpr std::size_t kMaxBody = 64 * 1024 * 1024;

// Buffered reads from one connection. Each read gives up when the server stops, the peer
// closes or errors, or nothing arrives for kIdleTimeout.
class Reader {
 public:
  Reader(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}

  // The next line, without its CRLF.
  std::optional<std::string> ReadLine() {
    for (;;) {
      const std::size_t end = buffer_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return line;
      }
      if (buffer_.size() > kMaxHeaderLine || !Fill()) return std::nullopt;
    }
  }

  std::optional<std::string> ReadExactly(std::size_t size) {
    if (size > kMaxBody) return std::nullopt;
    while (buffer_.size() < size) {
      if (!Fill()) return std::nullopt;
    }
    std::string bytes = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return bytes;
  }

 private:
  bool Fill() {
    const auto give_up_at = Clock::now() + kIdleTimeout;
    while (!stopping_.load() && Clock::now() < give_up_at) {
      pollfd poll_fd{fd_, POLLIN, 0};
      const int ready = poll(&poll_fd, 1, kPollIntervalMs);
      if (ready < 0 && errno != EINTR) return false;
      if (ready <= 0) continue;
      char chunk[16 * 1024];
      const ssize_t received = recv(fd_, chunk, sizeof(chunk), 0);
      if (received < 0 && errno == EINTR) continue;
      if (received <= 0) return false;
      buffer_.append(chunk, static_cast<std::size_t>(received));
      return true;
    }
    return false;
  }

  int fd_;
  const std::atomic<bool>& stopping_;
  std::string buffer_;
};

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

template <typename Int>
bool ParseNumber(std::string_view digits, int base, Int* out) {
  const char* end = digits.data() + digits.size();
  const auto [stop, error] = std::from_chars(digits.data(), end, *out, base);
  return !digits.empty() && error == std::errc() && stop == end;
}

bool ReadChunkedBody(Reader& reader, std::string* body) {
  for (;;) {
    const std::optional<std::string> size_line = reader.ReadLine();
    if (!size_line) return false;
    std::size_t size = 0;  // chunk extensions after ';' are ignored
    const std::string_view digits = std::string_view(*size_line).substr(0, size_line->find(';'));
    if (!ParseNumber(TrimWhitespace(digits), 16, &size) || size > kMaxBody - body->size()) {
      return false;
    }
    if (size == 0) break;
    const std::optional<std::string> chunk = reader.ReadExactly(size + 2);
    if (!chunk || !chunk->ends_with("\r\n")) return false;
    body->append(*chunk, 0, size);
  }
  for (;;) {  // trailer fields, ignored, up to the blank line
    const std::optional<std::string> line = reader.ReadLine();
    if (!line) return false;
    if (line->empty()) return true;
  }
}

std::optional<LoopbackHttpServer::Request> ReadRequest(Reader& reader, int fd) {
  std::optional<std::string> line = reader.ReadLine();
  while (line && line->empty()) line = reader.ReadLine();  // stray CRLFs between requests
  if (!line) return std::nullopt;
  const std::vector<std::string_view> parts = Split(*line, ' ');
  if (parts.size() != 3) return std::nullopt;
  LoopbackHttpServer::Request request{.method = std::string(parts[0]),
                                      .target = std::string(parts[1])};
  for (;;) {
    const std::optional<std::string> header = reader.ReadLine();
    if (!header) return std::nullopt;
    if (header->empty()) break;
    const std::size_t colon = header->find(':');
    if (colon == std::string::npos) return std::nullopt;
    const std::string_view field(*header);
    request.headers.emplace_back(ToLowerAscii(TrimWhitespace(field.substr(0, colon))),
                                 std::string(TrimWhitespace(field.substr(colon + 1))));
  }
  const auto expect = request.Header("expect");
  if (expect && EqualsIgnoreCase(*expect, "100-continue")) {
    SendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n");
  }
  const auto transfer_encoding = request.Header("transfer-encoding");
  const auto content_length = request.Header("content-length");
  if (transfer_encoding && EqualsIgnoreCase(*transfer_encoding, "chunked")) {
    if (!ReadChunkedBody(reader, &request.body)) return std::nullopt;
  } else if (content_length) {
    std::size_t length = 0;
    if (!ParseNumber(*content_length, 10, &length)) return std::nullopt;
    std::optional<std::string> body = reader.ReadExactly(length);
    if (!body) return std::nullopt;
    request.body = std::move(*body);
  }
  return request;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

std::string SerializeResponse(const LoopbackHttpServer::Response& response, bool close) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " ";
  out += ReasonPhrase(response.status);
  out += "\r\n";
  bool has_content_length = false;
  for (const auto& [name, value] : response.headers) {
    out += name + ": " + value + "\r\n";
    has_content_length = has_content_length || EqualsIgnoreCase(name, "content-length");
  }
  if (!has_content_length)
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  out += response.body;
  return out;
}

// Sleeps in short steps so a scripted delay never holds up Stop(); false if the server stopped.
bool SleepUnlessStopping(std::chrono::milliseconds delay, const std::atomic<bool>& stopping) {
  const auto wake_at = Clock::now() + std::min<Clock::duration>(delay, kMaxDelay);
  while (Clock::now() < wake_at) {
    if (stopping.load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return !stopping.load();
}

}  // namespace

std::optional<std::string_view> LoopbackHttpServer::Request::Header(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (EqualsIgnoreCase(header_name, name)) return std::string_view(value);
  }
  return std::nullopt;
}

LoopbackHttpServer::LoopbackHttpServer(Handler handler, Recording recording)
    : handler_(std::move(handler)), recording_(recording) {
  if (!handler_) handler_ = [](const Request&) { return Response{}; };
}

LoopbackHttpServer::~LoopbackHttpServer() { Stop(); }

Status LoopbackHttpServer::Start() {
  if (listen_fd_ >= 0 || stopping_.load()) {
    return FailedPreconditionError("loopback http server: Start called twice");
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return UnavailableError("loopback http server: socket: " +
                            std::generic_category().message(errno));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;  // the kernel picks a free port
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, SOMAXCONN) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    close(fd);
    return UnavailableError("loopback http server: bind 127.0.0.1:0: " +
                            std::generic_category().message(error));
  }
  listen_fd_ = fd;
  port_ = ntohs(address.sin_port);
  accept_thread_ = std::thread(&LoopbackHttpServer::AcceptLoop, this);
  return Status::Ok();
}

void LoopbackHttpServer::Stop() {
  stopping_.store(true);
  if (accept_thread_.joinable()) accept_thread_.join();
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
  }
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Wakes connection threads blocked in recv or send; they close their own sockets.
    for (const int fd : open_fds_) shutdown(fd, SHUT_RDWR);
    threads.swap(connection_threads_);
  }
  for (std::thread& thread : threads) thread.join();
}

std::string LoopbackHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<LoopbackHttpServer::Request> LoopbackHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::size_t LoopbackHttpServer::request_count() const { return request_count_.load(); }

void LoopbackHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd poll_fd{listen_fd_, POLLIN, 0};
    if (poll(&poll_fd, 1, kPollIntervalMs) <= 0) continue;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    accepted_connections_.fetch_add(1);
    std::lock_guard<std::mutex> lock(mutex_);
    open_fds_.insert(fd);
    connection_threads_.emplace_back(&LoopbackHttpServer::ServeConnection, this, fd);
  }
}

void LoopbackHttpServer::ServeConnection(int fd) {
  Reader reader(fd, stopping_);
  for (;;) {
    std::optional<Request> request = ReadRequest(reader, fd);
    if (!request) break;
    request_count_.fetch_add(1);
    if (recording_ == Recording::kRequests) {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(*request);
    }
    Response response;
    try {
      response = handler_(*request);
    } catch (const std::exception& e) {
      response = Response{.status = 500, .body = std::string("handler threw: ") + e.what()};
    }
    if (!SleepUnlessStopping(response.delay, stopping_)) break;
    if (response.reset_connection) {
      const linger abort_on_close{.l_onoff = 1, .l_linger = 0};  // close() then sends a RST
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
      break;
    }
    const auto connection = request->Header("connection");
    const bool close_after =
        response.close_connection || (connection && EqualsIgnoreCase(*connection, "close"));
    if (!SendAll(fd, SerializeResponse(response, close_after)) || close_after) break;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_fds_.erase(fd);  // before close(), so Stop never shuts down a reused descriptor
  }
  close(fd);
}

}  // namespace llmtrace::testing
