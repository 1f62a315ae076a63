// The virtual KTP-el chip and SAM: APDU-level models of the public facts about the card
// (DF 7F0A, EF 6FF1 biodata behind the SAM, EF 6FF2 photo, FF CA UID, 00 84 / 00 82) and of
// a SAM speaking the stand-in scheme (stand_in_crypto.hpp, core/reader/test_sam_adapter.hpp).
#pragma once

#include "core/reader/bytes.hpp"
#include "sim/population/population.hpp"

#include <optional>
#include <string>

namespace gerbang::vcard {

using reader::Bytes;

// Anything that sits in a vpcd slot.
class VirtualDevice {
 public:
  virtual ~VirtualDevice() = default;
  virtual Bytes atr() const = 0;
  virtual void reset() = 0;  // power on, power off and reset all land here
  // One command APDU in, response (data + SW) out. Never throws on card input.
  virtual Bytes process(const Bytes& apdu) = 0;
};

// The biodata file content for a resident: 21 double-quoted, comma-separated ASCII fields
// in the order of core/reader/biodata.hpp (unknown fields filled with plausible stand-ins).
std::string biodataFor(const sim::Resident& r);

// A card UID derived from the NIK's position in the population (7 bytes, NXP-like 04..).
Bytes uidFor(size_t index);

class VirtualChip final : public VirtualDevice {
 public:
  // `biodata` is padded with 0x00 to a fixed 512-byte file; `master` is the stand-in
  // master key the matching SAM holds.
  VirtualChip(Bytes uid, const std::string& biodata, Bytes master);

  // T=1 contactless ATR (PC/SC part 3 form, no historical bytes).
  Bytes atr() const override { return {0x3B, 0x80, 0x80, 0x01, 0x01}; }
  void reset() override;
  Bytes process(const Bytes& apdu) override;

 private:
  Bytes execute(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2, const Bytes& data, int le,
                bool secure);

  Bytes uid_;
  Bytes master_;
  Bytes biodata_;
  Bytes photo_;
  bool inDf_ = false;
  uint16_t ef_ = 0;
  std::optional<Bytes> rndIcc_;
  std::optional<Bytes> ks_;
  uint32_t ctr_ = 0;
};

struct SamIdentity {
  Bytes uid;     // 8 bytes
  Bytes pcid;    // activation secret
  Bytes conf;    // activation secret
  Bytes master;  // stand-in master key shared with the chips
};

class VirtualSam final : public VirtualDevice {
 public:
  explicit VirtualSam(SamIdentity id) : id_(std::move(id)) {}
  // T=0 ATR.
  Bytes atr() const override { return {0x3B, 0x02, 0x14, 0x50}; }
  void reset() override;
  Bytes process(const Bytes& apdu) override;

 private:
  SamIdentity id_;
  bool open_ = false;
  std::optional<Bytes> rndSam_;
  Bytes kc_, rndIcc_;
  std::optional<Bytes> ks_;
  uint32_t ctr_ = 0;
};

// Splits a short APDU. nullopt when malformed.
struct ParsedApdu {
  uint8_t cla, ins, p1, p2;
  Bytes data;
  int le;  // -1 none, else 1..256
};
std::optional<ParsedApdu> parseApdu(const Bytes& apdu);

}  // namespace gerbang::vcard
