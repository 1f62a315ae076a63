// The SAM-dependent steps of reading a KTP-el, behind an interface.
//
// The real KTP-el SAM cryptography is not public (the registry issues SAMs and their
// vendor SDKs under agreement). A deployment plugs in an adapter over its vendor's SDK;
// Gerbang ships TestSamAdapter (test_sam_adapter.hpp), which speaks the simple stand-in
// scheme of our virtual SAM (sim/vcard) and nothing else. See docs/reader.md.
#pragma once

#include "core/common/result.hpp"
#include "core/reader/apdu.hpp"
#include "core/reader/bytes.hpp"

namespace gerbang::reader {

// The per-SAM secrets issued at activation (SIFILMA): PCID and CONF. They are secrets:
// never log them or put them in an error.
struct SamSecrets {
  Bytes pcid;
  Bytes conf;
};

// One SAM's side of the card dialogue. Every method talks to the SAM over `sam`; an
// adapter may keep state between calls of one read (e.g. the session after authenticate)
// and is used by one read at a time (not thread-safe). Errors carry stable codes:
// "sam_rejected" (wrong PCID/CONF: the SAM does not belong to this deployment),
// "card_auth_failed" (chip and SAM do not authenticate each other), "card_secure_messaging"
// (a protected answer failed its check), or a transport code from CardChannel.
class SamAdapter {
 public:
  virtual ~SamAdapter() = default;

  // Opens the SAM with its activation secrets (instruction F0 on the SAMs in use).
  virtual Status open(CardChannel& sam, const SamSecrets& secrets) = 0;
  // The SAM's unique id (F7), as recorded at activation.
  virtual Result<Bytes> samUid(CardChannel& sam) = 0;
  // A fresh SAM challenge for mutual authentication (F1).
  virtual Result<Bytes> challenge(CardChannel& sam) = 0;
  // The data for the chip's EXTERNAL AUTHENTICATE (00 82), computed by the SAM from the
  // chip's UID, the chip's challenge (GET CHALLENGE 00 84) and the SAM challenge (F2).
  virtual Result<Bytes> authenticate(CardChannel& sam, const Bytes& cardUid,
                                     const Bytes& cardChallenge, const Bytes& samChallenge) = 0;
  // Verifies the chip's answer to EXTERNAL AUTHENTICATE; on success the SAM holds the
  // session for wrap/unwrap.
  virtual Status verifyCard(CardChannel& sam, const Bytes& cardAnswer) = 0;
  // Wraps a plain command APDU into the secure-messaging APDU to send to the chip (F3).
  virtual Result<Bytes> wrap(CardChannel& sam, const Bytes& plainCommand) = 0;
  // Unwraps the data of the chip's protected answer (its outer status word, 9000, already
  // checked) into the plain answer: data followed by the inner SW1 SW2 (F4).
  virtual Result<Bytes> unwrap(CardChannel& sam, const Bytes& protectedAnswer) = 0;
};

}  // namespace gerbang::reader
