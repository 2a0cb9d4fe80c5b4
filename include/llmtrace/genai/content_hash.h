// Content hashes: SHA-256 of prompts and responses, as lowercase hex.
//
// Hashes let users correlate calls that saw the same prompt, or find a reported response in the
// telemetry, without the content ever leaving the process. They are computed on the raw (not
// redacted) text, so equal content always hashes equal. Stateless and thread-safe.
//
//   std::string h = Sha256Hex("What is OpenTelemetry?");  // 64 hex characters
//   Sha256Hasher hasher;  // streaming: one Update per chunk
//   hasher.Update("What is "); hasher.Update("OpenTelemetry?");
//   hasher.FinishHex() == h
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmtrace::genai {

std::string Sha256Hex(std::string_view data);

// Incremental SHA-256 for streamed output. Move-only; not thread-safe (one per stream).
class Sha256Hasher {
 public:
  Sha256Hasher() noexcept;
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&& other) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&& other) noexcept;
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data) noexcept;
  // The digest of everything passed to Update; the hasher then starts over.
  std::string FinishHex() noexcept;

 private:
  void* context_;  // EVP_MD_CTX, kept out of the header so users do not need OpenSSL's headers
};

}  // namespace llmtrace::genai
