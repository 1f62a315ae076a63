// APDU response handling: the whole KTP-el read flow (TestSamAdapter, secure messaging,
// chunked READ BINARY, GET RESPONSE / wrong-Le handling, status-word mapping) driven by
// answers taken from the fuzz input. Input: frames of [length byte][answer bytes], served
// in order to whichever card (chip or SAM) is asked next; an exhausted input is a removed
// card.
#include "core/reader/apdu.hpp"
#include "core/reader/ktpel.hpp"
#include "core/reader/test_sam_adapter.hpp"

#include <cstdint>
#include <cstdlib>

namespace {

using namespace gerbang::reader;

class FuzzChannel : public CardChannel {
 public:
  FuzzChannel(const uint8_t*& p, const uint8_t* end) : p_(p), end_(end) {}
  gerbang::Result<Bytes> transmit(const Bytes& command) override {
    if (command.size() < 4) std::abort();  // we never send a malformed command
    if (p_ >= end_) return gerbang::Error{"card_removed", "x", "input exhausted"};
    size_t n = *p_++;
    if (size_t(end_ - p_) < n) n = size_t(end_ - p_);
    Bytes out(p_, p_ + n);
    p_ += n;
    return out;
  }

 private:
  const uint8_t*& p_;
  const uint8_t* end_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Stand-alone helpers first.
  Bytes raw(data, data + size);
  auto r = parseResponse(raw);
  if (r) {
    if (r->data.size() + 2 != raw.size()) std::abort();
    auto e = statusError(r->sw, 0xB0);
    if (e.code.empty() || e.message.empty()) std::abort();
  } else if (size >= 2) {
    std::abort();
  }
  (void)parsePhotoLength(raw);

  const uint8_t* p = data;
  FuzzChannel card(p, data + size), sam(p, data + size);
  TestSamAdapter adapter;
  SamSecrets secrets{{0x01, 0x02}, {0x03, 0x04}};
  auto read = readKtpel(card, sam, adapter, secrets);
  if (!read && read.error().code.empty()) std::abort();
  if (read && read->biodata[kNik].size() != 16) std::abort();
  return 0;
}
