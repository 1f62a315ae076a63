// The KTP-el card profile: what is read from the chip and how (public facts only; see
// docs/reader.md). DF 7F0A holds EF 6FF0 (CC), EF 6FF1 (biodata, read through the SAM's
// secure messaging), EF 6FF2 (photo, plain READ BINARY, first two bytes its big-endian
// length), EF 6FF3-6FF6 (signature, minutiae, digital signature: never read here).
#pragma once

#include "core/common/result.hpp"
#include "core/reader/apdu.hpp"
#include "core/reader/biodata.hpp"
#include "core/reader/sam_adapter.hpp"

namespace gerbang::reader {

inline constexpr uint16_t kDfKtpel = 0x7F0A;
inline constexpr uint16_t kEfCc = 0x6FF0;
inline constexpr uint16_t kEfBiodata = 0x6FF1;
inline constexpr uint16_t kEfPhoto = 0x6FF2;
// READ BINARY chunk size: fits a secure-messaging envelope in a short APDU.
inline constexpr int kReadChunk = 0xE0;

// Everything one read takes off the card. Holds personal data: it never leaves the reader
// service; callers get minimise()d fields (reader_service.hpp).
struct KtpelRead {
  Bytes cardUid;
  Bytes samUid;
  Biodata biodata;
};

// The photo file's header: the first two bytes, big-endian, give the image length.
// Error "card_bad_response" when fewer than two bytes or a zero length.
Result<size_t> parsePhotoLength(const Bytes& firstBytes);

// One card dialogue: a KTP-el chip on `card`, its reader's SAM on `sam`, the SAM steps
// through `adapter`. Not thread-safe; one per read.
class KtpelSession {
 public:
  KtpelSession(CardChannel& card, CardChannel& sam, SamAdapter& adapter)
      : card_(card), sam_(sam), adapter_(adapter) {}

  // The chip's UID through the reader pseudo-APDU FF CA 00 00 00.
  Result<Bytes> cardUid();
  // SELECT DF 7F0A. "card_file_not_found" when the card is not a KTP-el.
  Status selectApplication();
  // Opens the SAM with its secrets and returns its UID.
  Result<Bytes> openSam(const SamSecrets& secrets);
  // Mutual authentication chip <-> SAM: GET CHALLENGE 00 84 00 00 08, the SAM's answer,
  // EXTERNAL AUTHENTICATE 00 82, the SAM's check of the chip's answer.
  Status authenticate(const Bytes& cardUid);
  // Reads and parses EF 6FF1 through secure messaging (after authenticate()).
  Result<Biodata> readBiodata();
  // Reads EF 6FF2 in plain. Refused ("element_not_permitted") unless `permitted.elements`
  // lists "FOTO"; no agreement permits it (manifests cannot list it), so this is refused
  // in every deployment today and exists so the refusal is one tested place.
  Result<Bytes> readPhoto(const PermittedFields& permitted);

 private:
  // Sends a plain command as secure messaging through the SAM; returns the plain answer.
  Result<ResponseApdu> protectedExchange(const CommandApdu& plain);

  CardChannel& card_;
  CardChannel& sam_;
  SamAdapter& adapter_;
};

// The whole flow: UID, SAM open, select, authenticate, biodata. Transport errors (e.g.
// "card_removed") and card/SAM refusals come back as the Error.
Result<KtpelRead> readKtpel(CardChannel& card, CardChannel& sam, SamAdapter& adapter,
                            const SamSecrets& secrets);

}  // namespace gerbang::reader
