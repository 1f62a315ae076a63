// TestSamAdapter: the SamAdapter for our virtual SAM (sim/vcard). A STAND-IN: it speaks
// the virtual SAM's simple scheme (HMAC-SHA256 challenge-response, XOR keystream with a
// truncated MAC for secure messaging), not the real KTP-el SAM cryptography, which is
// secret and lives in the vendor SDK a deployment plugs in instead.
//
// Wire format (CLA 80), all computed inside the virtual SAM:
//   80 F0 00 00 Lc  len(PCID) PCID len(CONF) CONF     open          -> 9000 | 6982
//   80 F7 00 00 08                                    SAM UID       -> uid(8) 9000
//   80 F1 00 00 08                                    challenge     -> rnd(8) 9000
//   80 F2 00 00 Lc  len(UID) UID RND.ICC RND.SAM      authenticate  -> data for 00 82
//   80 F2 01 00 Lc  chip answer                       verify chip   -> 9000 | 6300
//   80 F3 00 00 Lc  plain command                     wrap          -> protected APDU 9000
//   80 F4 00 00 Lc  protected answer data             unwrap        -> plain data+SW 9000 | 6988
#pragma once

#include "core/reader/sam_adapter.hpp"

namespace gerbang::reader {

inline constexpr uint8_t kSamCla = 0x80;
inline constexpr uint8_t kSamOpen = 0xF0;
inline constexpr uint8_t kSamChallenge = 0xF1;
inline constexpr uint8_t kSamAuthenticate = 0xF2;
inline constexpr uint8_t kSamWrap = 0xF3;
inline constexpr uint8_t kSamUnwrap = 0xF4;
inline constexpr uint8_t kSamUid = 0xF7;

class TestSamAdapter final : public SamAdapter {
 public:
  Status open(CardChannel& sam, const SamSecrets& secrets) override;
  Result<Bytes> samUid(CardChannel& sam) override;
  Result<Bytes> challenge(CardChannel& sam) override;
  Result<Bytes> authenticate(CardChannel& sam, const Bytes& cardUid, const Bytes& cardChallenge,
                             const Bytes& samChallenge) override;
  Status verifyCard(CardChannel& sam, const Bytes& cardAnswer) override;
  Result<Bytes> wrap(CardChannel& sam, const Bytes& plainCommand) override;
  Result<Bytes> unwrap(CardChannel& sam, const Bytes& protectedAnswer) override;
};

}  // namespace gerbang::reader
