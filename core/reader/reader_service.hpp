// The reader service: finds the contactless slot and its SAM slot, reads a KTP-el through
// the SamAdapter, and hands out only the fields the agreement permits.
#pragma once

#include "core/common/clock.hpp"
#include "core/common/result.hpp"
#include "core/reader/biodata.hpp"
#include "core/reader/card_read.hpp"
#include "core/reader/pcsc.hpp"
#include "core/reader/sam_adapter.hpp"
#include "core/reader/sam_registry.hpp"

#include <Poco/Util/AbstractConfiguration.h>

#include <string>
#include <vector>

namespace gerbang::reader {

// Which PC/SC slots form one KTP-el reader: ECMAScript regexes searched in slot names.
// Dual-interface readers expose the antenna and the SAM as two slots of one device
// ("... PICC 00 00" and "... SAM 00 01"); when several match, the SAM slot sharing the
// longest name prefix with the contactless slot is taken.
struct ReaderPairing {
  std::string contactlessPattern = "PICC|[Cc]ontactless";
  std::string samPattern = "SAM";
  // The two slots of the vpcd virtual reader (sim/vcard): slot 00 the card, 01 the SAM.
  static ReaderPairing vpcd();
};

struct ReaderPair {
  std::string contactless;
  std::string sam;
};

// Picks the pair from slot names. Errors: "reader_absent" (no slot matches the contactless
// pattern), "sam_slot_absent" (no other slot matches the SAM pattern). Throws
// std::invalid_argument on a malformed pattern (configuration).
Result<ReaderPair> pairReaders(const std::vector<std::string>& names, const ReaderPairing& pairing);

struct ReaderConfig {
  ReaderPairing pairing;
  SamSecrets secrets;

  // Reads the "reader." keys (docs/reader.md):
  //   reader.contactless.pattern, reader.sam.pattern   regexes (defaults above)
  //   reader.preset = vpcd                              the virtual reader's two slots
  //   reader.sam.pcid, reader.sam.conf                  hex secrets (required)
  //   reader.transmit.timeout.ms                        (into `options`, default 5000)
  // Throws std::invalid_argument naming the key (never its value) when one is missing or
  // malformed.
  static ReaderConfig fromConfiguration(const Poco::Util::AbstractConfiguration& c,
                                        PcscOptions* options = nullptr);
};

// One card read request.
struct CardReadRequest {
  std::string agreementId;
  PermittedFields permitted;  // from the agreement's manifest (after any Adendum)
  AgreementTerm term;         // from the agreement module
};

class ReaderService {
 public:
  // `sams` may be null only in tests of the card flow itself; a deployment passes its
  // SamRepository so card use is tied to a recorded SAM activation. References must
  // outlive the service.
  ReaderService(PcscService& pcsc, SamAdapter& adapter, ReaderConfig config, const Clock& clock,
                const SamRepository* sams = nullptr);

  // The current slot pair (see pairReaders()), or "pcsc_unavailable".
  Result<ReaderPair> pair();

  // Reads the KTP-el now on the reader and returns only permitted fields. Refusals and
  // failures (stable codes): "agreement_ended" (with the SAM duty text), SAM lifecycle
  // codes from SamRepository::authorizeUse, "reader_absent", "sam_slot_absent",
  // "card_absent", "sam_absent", "sam_rejected", "card_auth_failed", "card_removed",
  // "card_timeout", "biodata_invalid", status-word codes from statusError(). Everything
  // else read from the card (agama, golongan darah, photo, fingerprints, unknown fields)
  // is dropped and wiped before returning.
  Result<CardRead> read(const CardReadRequest& request);

 private:
  PcscService& pcsc_;
  SamAdapter& adapter_;
  ReaderConfig config_;
  const Clock& clock_;
  const SamRepository* sams_;
};

}  // namespace gerbang::reader
