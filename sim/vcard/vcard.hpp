// gerbang-vcard's engine: a virtual KTP-el reader with the chip in the first vpcd slot and
// the SAM in the second, presenting one synthetic resident from sim/population, scriptable
// by tests (in process) and by the gerbang-vcard command interface (main.cpp).
#pragma once

#include "sim/population/population.hpp"
#include "sim/vcard/virtual_card.hpp"
#include "sim/vcard/vpcd_slot.hpp"

#include <Poco/Util/AbstractConfiguration.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace gerbang::vcard {

struct VcardConfig {
  std::string host = "127.0.0.1";
  uint16_t cardPort = 35963;  // vpcd slot 0 (/etc/reader.conf.d/vpcd CHANNELID 0x8C7B)
  uint16_t samPort = 35964;   // vpcd slot 1
  SamIdentity sam;

  // Reads the test SAM's identity: reader.sam.pcid and reader.sam.conf (hex, the same keys
  // a host's reader config uses, so one test file configures both sides), vcard.sam.uid
  // (8 bytes hex) and vcard.master.key (hex); optional vcard.card.port, vcard.sam.port.
  // Throws std::invalid_argument naming the key.
  static VcardConfig fromConfiguration(const Poco::Util::AbstractConfiguration& c);
};

// A SAM identity that differs from `good` in every secret: the "wrong SAM" of the tests.
SamIdentity wrongSamOf(const SamIdentity& good);

class VirtualKtpel {
 public:
  // Starts both slots, the card removed and the SAM inserted. `population` must outlive
  // this object.
  VirtualKtpel(VcardConfig config, const sim::Population& population, size_t residentIndex = 0);
  ~VirtualKtpel();

  // Presents the resident at `index` / with `nik` on the next card insert. False when out
  // of range / not in the population.
  bool selectResident(size_t index);
  bool selectResidentByNik(const std::string& nik);
  // The presented resident (synthetic).
  sim::Resident resident() const;
  size_t residentIndex() const;
  reader::Bytes cardUid() const;

  void insertCard();
  void removeCard();
  // The n-th card APDU from now is not answered and the card is gone (mid-read removal).
  void removeCardAfter(int n);
  // The n-th card APDU from now is never answered (until removeCard()).
  void hangCardAfter(int n);
  void insertSam();
  void removeSam();
  // Presents a SAM with other secrets (true) or the configured one (false); the SAM is
  // taken out and put back, as a person swapping SAM cards would.
  void useWrongSam(bool wrong);

  VpcdSlot& cardSlot() { return *card_; }
  VpcdSlot& samSlot() { return *sam_; }

 private:
  void presentCard();

  VcardConfig config_;
  const sim::Population& population_;
  mutable std::mutex mutex_;
  size_t index_;
  std::unique_ptr<VpcdSlot> card_;
  std::unique_ptr<VpcdSlot> sam_;
};

}  // namespace gerbang::vcard
