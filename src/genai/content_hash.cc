#include "llmtrace/genai/content_hash.h"

#include <openssl/evp.h>

#include <utility>

namespace llmtrace::genai {
namespace {

std::string ToHex(const unsigned char* digest, unsigned length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(length * 2, '\0');
  for (unsigned i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

// OpenSSL 3 looks the algorithm up in its provider registry on every EVP_sha256() use (an
// "implicit fetch" that costs about a microsecond); fetch it once for the process instead.
const EVP_MD* Sha256() noexcept {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

// Creating and freeing an EVP_MD_CTX costs more than hashing a short prompt (OpenSSL 3 builds a
// provider context each time), and every call hashes its prompt and its answer. So contexts are
// recycled through a small per-thread free list: a hasher takes one from the thread it starts on
// and gives it back to the thread it ends on (a context is not tied to a thread). Re-initialising
// a context with the same digest reuses its provider context.
// A hasher destroyed after its thread's free list (a static, at exit) frees its context itself.
thread_local bool thread_contexts_destroyed = false;

class ContextFreeList {
 public:
  ~ContextFreeList() {
    thread_contexts_destroyed = true;
    for (int i = 0; i < size_; ++i) EVP_MD_CTX_free(contexts_[i]);
  }
  EVP_MD_CTX* Take() noexcept { return size_ > 0 ? contexts_[--size_] : nullptr; }
  void Give(EVP_MD_CTX* context) noexcept {
    if (size_ < kCapacity) {
      contexts_[size_++] = context;
    } else {
      EVP_MD_CTX_free(context);
    }
  }

 private:
  static constexpr int kCapacity = 4;
  EVP_MD_CTX* contexts_[kCapacity] = {};
  int size_ = 0;
};

ContextFreeList& ThreadContexts() noexcept {
  thread_local ContextFreeList contexts;
  return contexts;
}

EVP_MD_CTX* NewSha256Context() noexcept {
  EVP_MD_CTX* context = thread_contexts_destroyed ? nullptr : ThreadContexts().Take();
  if (context == nullptr) context = EVP_MD_CTX_new();
  if (context != nullptr && EVP_DigestInit_ex(context, Sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(context);
    return nullptr;
  }
  return context;
}

void ReleaseSha256Context(void* context) noexcept {
  if (context == nullptr) return;
  if (thread_contexts_destroyed) {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context));
  } else {
    ThreadContexts().Give(static_cast<EVP_MD_CTX*>(context));
  }
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  Sha256Hasher hasher;
  hasher.Update(data);
  return hasher.FinishHex();
}

// The context is created on first use: most hashers of a process (one per LLM call) would
// otherwise allocate one for nothing when hashing is off.
Sha256Hasher::Sha256Hasher() noexcept : context_(nullptr) {}

Sha256Hasher::~Sha256Hasher() { ReleaseSha256Context(context_); }

Sha256Hasher::Sha256Hasher(Sha256Hasher&& other) noexcept
    : context_(std::exchange(other.context_, nullptr)) {}

Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&& other) noexcept {
  if (this != &other) {
    ReleaseSha256Context(context_);
    context_ = std::exchange(other.context_, nullptr);
  }
  return *this;
}

void Sha256Hasher::Update(std::string_view data) noexcept {
  if (context_ == nullptr) context_ = NewSha256Context();
  if (context_ != nullptr)
    EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), data.data(), data.size());
}

std::string Sha256Hasher::FinishHex() noexcept {
  if (context_ == nullptr) context_ = NewSha256Context();
  if (context_ == nullptr) return {};
  auto* context = static_cast<EVP_MD_CTX*>(context_);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  const bool ok = EVP_DigestFinal_ex(context, digest, &length) == 1;
  EVP_DigestInit_ex(context, Sha256(), nullptr);
  return ok ? ToHex(digest, length) : std::string();
}

}  // namespace llmtrace::genai
